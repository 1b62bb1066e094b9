import type { Context } from "hono";
import type { AppEnv } from "../context";

export interface ScreenResult {
  score: number;
  verdict: "pass" | "flag" | "block";
}

export async function screenStage(c: Context<AppEnv>, texts: string[]): Promise<ScreenResult | null> {
  void c;
  void texts;
  return null;
}

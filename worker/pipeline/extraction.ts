import type { Bindings } from "../env";

/** A principal's extraction state as the usage view shows it (CONTRACT §5). */
export interface ExtractionStatus {
  score: number;
  state: "normal" | "degraded" | "blocked";
  until: string | null;
}

export async function extractionStatus(env: Bindings, tenantId: string, principal: string): Promise<ExtractionStatus> {
  void env;
  void tenantId;
  void principal;
  return { score: 0, state: "normal", until: null };
}

export async function resetExtraction(env: Bindings, tenantId: string, principal: string): Promise<void> {
  void env;
  void tenantId;
  void principal;
}

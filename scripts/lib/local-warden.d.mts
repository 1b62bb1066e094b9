// Types for local-warden.mjs, for TypeScript callers (test/e2e, bench/).
import type { ChildProcess } from "node:child_process";

export const ROOT: string;
export function portFree(port: number): Promise<boolean>;
export function freePort(): Promise<number>;
export interface RunningWrangler {
  child: ChildProcess;
  log(): string;
  echo(makeFilter?: () => (chunk: string) => string): void;
  stop(): Promise<void>;
}
export function startWrangler(options: { port: number; inspectorPort: number; persistDir: string; vars: Record<string, string>; verbose?: boolean; cwd?: string }): RunningWrangler;
export function waitForHealth(baseUrl: string, wrangler: RunningWrangler, timeoutMs?: number): Promise<void>;
export function adminCall(baseUrl: string, token: string, method: string, path: string, body?: unknown, timeoutMs?: number): Promise<{ status: number; body: any; text: string }>;

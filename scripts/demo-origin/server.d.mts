// Types for server.mjs, so TypeScript callers (test/helpers/origin-server.ts, bench/) can import it.
import type { IncomingMessage, ServerResponse } from "node:http";

export interface DemoOriginOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default "127.0.0.1". */
  host?: string;
  /** Pause between streamed tokens (default 0). */
  tokenDelayMs?: number;
}

export interface RunningOrigin {
  /** Base URL without a trailing slash, e.g. "http://127.0.0.1:41234". */
  url: string;
  port: number;
  close(): Promise<void>;
}

export type DemoHandler = (req: IncomingMessage, res: ServerResponse, path?: string) => Promise<void>;

export function createDemoHandler(options?: { tokenDelayMs?: number }): DemoHandler;
export function startDemoOrigin(options?: DemoOriginOptions): Promise<RunningOrigin>;

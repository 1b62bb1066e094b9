/// <reference types="node" />
import { existsSync } from "node:fs";

/**
 * Debian's chromium (`apt-get install chromium`; .ci/run installs it when missing). The binary
 * itself, not the /usr/bin wrapper script, so Playwright's flags reach it unchanged.
 * CHROMIUM_PATH overrides.
 */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/lib/chromium/chromium", "/usr/bin/chromium", "/usr/bin/chromium-browser"];
  const found = candidates.find((p): p is string => Boolean(p) && existsSync(p!));
  if (!found) throw new Error("No chromium found: run `apt-get install -y chromium` (or set CHROMIUM_PATH).");
  return found;
}

/** Polls `check` until it returns a truthy value or the deadline passes (no fixed sleeps). */
export async function until<T>(what: string, check: () => Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

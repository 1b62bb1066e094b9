import { afterEach, describe, expect, it, vi } from "vitest";
import { recordAudit } from "../../../worker/audit/record";
import type { Bindings } from "../../../worker/env";
import { captureLog } from "../../helpers/operator-log";

describe("a failed audit append", () => {
  afterEach(() => vi.restoreAllMocks());

  it("goes to the operator log as one structured event, not a bare console.error", async () => {
    const out = captureLog("log");
    const err = captureLog("error");
    const failing = { AUDIT: { getByName: () => ({ append: () => Promise.reject(new TypeError("storage unavailable")) }) } } as unknown as Bindings;
    const pending: Promise<unknown>[] = [];
    recordAudit(failing, { waitUntil: (p) => void pending.push(p) }, "acme", { type: "key.created", principal: "admin-token", reason: "admin", detail: { secret: "sk-do-not-log" } });
    await Promise.all(pending);
    expect(out.events()).toContainEqual({ event: "audit.append_failed", tenant: "acme", type: "key.created", error: "TypeError", message: "storage unavailable" });
    expect(err.calls).toHaveLength(0);
    expect(out.raw()).not.toContain("sk-do-not-log");
  });
});

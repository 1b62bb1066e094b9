import { describe, expect, it } from "vitest";
import { env } from "cloudflare:test";
import { bearer, call, createTenant, eventually, issueKey, json } from "../../helpers/warden";
import { principalSignalsName } from "../../../worker/clients/signals";
import { generateDigits } from "../../../scripts/demo-origin/digits.mjs";
import { flushSignals } from "../../helpers/object-hooks";
import { runInDurableObject } from "cloudflare:test";

/**
 * An answer's margins (boundary probing) ride on the principal's next observation, or go on their
 * own, all of a principal's together, after ANSWERS_CARRY_MS (worker/extraction/answers.ts, issue 11): through the Worker, every
 * answer's margins reach the principal's object exactly once — none lost, none counted twice.
 */
const INPUT = { name: "input-0", datatype: "FP32", shape: [-1, 64], min: 0, max: 16 };
const digits = { name: "digits", protocol: "oip", origins: [{ url: env.ORIGIN_URL }], inputs: [INPUT], outputs: [{ name: "probabilities", kind: "probabilities" }] };
const infer = (id: string, auth: Record<string, string>, rows: number[][]) =>
  call(`/t/${id}/v2/models/digits/infer`, json({ inputs: [{ name: "input-0", datatype: "FP32", shape: [rows.length, 64], data: rows.flat() }] }, auth));
const stub = (name: string) => env.SIGNALS.get(env.SIGNALS.idFromName(name));
/** Entries in the principal's boundary window (one per answered row), as written. */
const closeCount = async (name: string) => {
  await flushSignals(stub(name));
  return runInDurableObject(stub(name), (_, state) => state.storage.sql.exec<{ count: number }>("SELECT count FROM sig_windows WHERE name = 'close'").toArray()[0]?.count ?? 0);
};

describe("answer margins carried on the next observation", () => {
  it("records every answered row's margin once, whether carried or sent after the interval", async () => {
    const { id } = await createTenant({ models: [digits] });
    const key = await issueKey(id, { name: "margins" });
    const name = principalSignalsName(id, `key:${key.id}`);
    const rows = generateDigits({ n: 14, seed: 11 }).X;
    // One row, then a batch of three, then singles: 13 answered rows in 11 requests.
    const requests = [[rows[0]!], rows.slice(1, 4), ...rows.slice(4, 13).map((r) => [r])];
    for (const r of requests) expect((await infer(id, bearer(key.key), r)).status).toBe(200);
    // The last answer's margins have no later observation to ride on: they go on their own.
    const seen = await eventually(async () => {
      const n = await closeCount(name);
      expect(n).toBeGreaterThanOrEqual(13);
      return n;
    }, 10_000);
    expect(seen).toBe(13);
  });
});

import { expect } from "vitest";
import { env } from "cloudflare:test";
import { admin, bearer, call, json } from "../../helpers/warden";
import { principalSignalsName } from "../../../worker/clients/signals";
import { flushSignals } from "../../helpers/object-hooks";

/** The demo digits classifier over OIP, its input's declared range, rounded outputs. */
const INPUT = { name: "input-0", datatype: "FP32", shape: [-1, 64], min: 0, max: 16 };
export const DIGITS = {
  name: "digits", protocol: "oip", origins: [{ url: env.ORIGIN_URL }], inputs: [INPUT],
  outputs: [{ name: "probabilities", kind: "probabilities" }], protection: { probabilities: { mode: "round", decimals: 1, keep_top1: true } },
};

type Usage = { principals: Array<{ principal: string; extraction: { state: string } }> };
/** The principal's extraction state as the usage view shows it. */
export const stateOf = async (id: string, principal: string) =>
  ((await (await admin(`/tenants/${id}/usage`)).json()) as Usage).principals.find((p) => p.principal === principal)?.extraction.state;

/** Waits until the principal's observations reached the tenant view (it lags otherwise). */
export const settled = (tenant: string, principal: string) => flushSignals(env.SIGNALS.get(env.SIGNALS.idFromName(principalSignalsName(tenant, principal))));

/**
 * A client of the demo digits model over OIP, through the Worker: `ask` answers each row's ten
 * probabilities, or null when the principal is refused (403); `seen` counts rows answered,
 * refusals, and how many rows had been answered at the first refusal (-1: none yet).
 */
export function digitsAsker(tenant: string, key: { key: string }) {
  const seen = { answered: 0, refused: 0, refusedAt: -1 };
  const ask = async (rows: number[][]): Promise<number[][] | null> => {
    const res = await call(`/t/${tenant}/v2/models/digits/infer`, json({ inputs: [{ name: "input-0", datatype: "FP32", shape: [rows.length, 64], data: rows.flat() }] }, bearer(key.key)));
    if (res.status === 403) {
      await res.arrayBuffer();
      if (seen.refusedAt < 0) seen.refusedAt = seen.answered;
      seen.refused++;
      return null;
    }
    expect(res.status).toBe(200);
    const out = ((await res.json()) as { outputs: Array<{ data: number[] }> }).outputs[0]!.data;
    seen.answered += rows.length;
    return rows.map((_, i) => out.slice(i * 10, i * 10 + 10));
  };
  return { ask, seen };
}

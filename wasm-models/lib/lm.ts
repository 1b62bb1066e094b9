/**
 * Builds the character trigram model of harmless text (worker/screen/surprisal.ts) from
 * training texts, and writes it as worker/screen/lm-table.ts for the Worker.
 */
import { writeFileSync } from "node:fs";
import { normalize } from "../../worker/screen/normalize";
import { CTX_BITS, LM_SCALE, LM_V, lmBuckets, TRI_BITS, type CharLm } from "../../worker/screen/surprisal";
import { lmId } from "../../worker/screen/lm";

/** Counts every trigram of the normalized texts; log counts are rounded once, in float64 (Math.log2 is only used here, never in the Worker). */
export function buildLm(texts: Iterable<string>): CharLm {
  const tri = new Float64Array(1 << TRI_BITS);
  const ctx = new Float64Array(1 << CTX_BITS);
  for (const text of texts) {
    const t = normalize(text);
    for (let p = 2; p < t.length; p++) {
      const [c, g] = lmBuckets(t, p);
      ctx[c]!++;
      tri[g]!++;
    }
  }
  const q = (x: number) => Math.min(255, Math.round(LM_SCALE * Math.log2(x)));
  return { trigram: Uint8Array.from(tri, (c) => q(c + 1)), context: Uint8Array.from(ctx, (c) => q(c + LM_V)) };
}

export function writeLmModule(file: string, lm: CharLm): void {
  const bytes = new Uint8Array(lm.trigram.length + lm.context.length);
  bytes.set(lm.trigram, 0);
  bytes.set(lm.context, lm.trigram.length);
  // A model without the language model ships no table: "" decodes to all zeros (lm.ts).
  const b64 = bytes.every((b) => b === 0) ? "" : Buffer.from(bytes).toString("base64");
  writeFileSync(
    file,
    `/** Written by wasm-models/train.ts (wasm-models/lib/lm.ts): the character trigram model of harmless text, see surprisal.ts. Do not edit. */\n` +
      `export const LM_ID = "${lmId(lm)}";\nexport const LM_BASE64 =\n  "${b64}";\n`,
  );
}

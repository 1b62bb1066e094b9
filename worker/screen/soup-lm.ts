/**
 * The shipped suffix head (soup-table.ts, written by training: wasm-models/lib/soup-train.ts),
 * decoded on first use.
 */
import { CONTEXTS, SOUP_FEATURES, TRIGRAMS, type SoupHead } from "./soup";
import { SOUP_BASE64, SOUP_BIAS, SOUP_WEIGHTS } from "./soup-table";

let decoded: SoupHead | undefined;

export function bundledSoupHead(): SoupHead {
  if (decoded) return decoded;
  const raw = Uint8Array.from(atob(SOUP_BASE64), (c) => c.charCodeAt(0));
  if (raw.length !== TRIGRAMS + CONTEXTS || SOUP_WEIGHTS.length !== SOUP_FEATURES) throw new Error("soup-table.ts does not fit soup.ts");
  decoded = { lm: { trigram: raw.subarray(0, TRIGRAMS), context: raw.subarray(TRIGRAMS) }, weights: Float64Array.from(SOUP_WEIGHTS), bias: SOUP_BIAS };
  return decoded;
}

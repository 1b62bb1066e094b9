/**
 * The shipped suffix head (soup-table.ts, written by training: wasm-models/lib/soup-train.ts),
 * decoded on first use. A vocabulary (round 12, soup-words.ts) is part of it when the table has one,
 * and round 13's bracket statistic (soup-brackets.ts) when the table says so.
 */
import { CONTEXTS, featureCount, TRIGRAMS, type SoupHead, type SoupLm } from "./soup";
import { SOUP_BASE64, SOUP_BIAS, SOUP_TEXT_BRACKETS, SOUP_WEIGHTS, SOUP_WORDS_BASE64 } from "./soup-table";
import { WORD_BYTES } from "./soup-words";

let decoded: SoupHead | undefined;

const bytes = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));

export function bundledSoupHead(): SoupHead {
  if (decoded) return decoded;
  const raw = bytes(SOUP_BASE64);
  const lm: SoupLm = { trigram: raw.subarray(0, TRIGRAMS), context: raw.subarray(TRIGRAMS) };
  if (SOUP_WORDS_BASE64 !== "") lm.words = bytes(SOUP_WORDS_BASE64);
  if (SOUP_TEXT_BRACKETS) lm.wholeTextBrackets = true;
  if (raw.length !== TRIGRAMS + CONTEXTS || (lm.words && lm.words.length !== WORD_BYTES) || SOUP_WEIGHTS.length !== featureCount(lm)) throw new Error("soup-table.ts does not fit soup.ts");
  decoded = { lm, weights: Float64Array.from(SOUP_WEIGHTS), bias: SOUP_BIAS };
  return decoded;
}

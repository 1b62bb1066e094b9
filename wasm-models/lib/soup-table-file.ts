/** Loads a suffix head from a soup-table module given by path (a candidate's, or the shipped one saved elsewhere). */
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import { CONTEXTS, featureCount, soupHeadId, TRIGRAMS, type SoupHead, type SoupLm } from "../../worker/screen/soup";
import { WORD_BYTES } from "../../worker/screen/soup-words";

interface Table { SOUP_ID: string; SOUP_WEIGHTS: number[]; SOUP_BIAS: number; SOUP_BASE64: string; SOUP_WORDS_BASE64: string; SOUP_TEXT_BRACKETS?: boolean }
const bytes = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));

/** As soup-lm.ts decodes the bundled table; refuses a table that does not fit soup.ts or its own id. */
export async function headOf(path: string): Promise<SoupHead> {
  const t = (await import(pathToFileURL(resolve(path)).href)) as Table;
  const raw = bytes(t.SOUP_BASE64);
  const lm: SoupLm = { trigram: raw.subarray(0, TRIGRAMS), context: raw.subarray(TRIGRAMS) };
  if (t.SOUP_WORDS_BASE64 !== "") lm.words = bytes(t.SOUP_WORDS_BASE64);
  if (t.SOUP_TEXT_BRACKETS) lm.wholeTextBrackets = true;
  if (raw.length !== TRIGRAMS + CONTEXTS || (lm.words && lm.words.length !== WORD_BYTES) || t.SOUP_WEIGHTS.length !== featureCount(lm)) throw new Error(`${path} does not fit soup.ts`);
  const head = { lm, weights: Float64Array.from(t.SOUP_WEIGHTS), bias: t.SOUP_BIAS };
  if (soupHeadId(head) !== t.SOUP_ID) throw new Error(`${path}: id ${soupHeadId(head)} is not ${t.SOUP_ID}`);
  return head;
}

/**
 * The shipped character language model (lm-table.ts, written by training), decoded on first use.
 * Its id (a hash of the tables) is part of the featurizer version, so a model trained with one
 * table is refused with another (model.ts compares the signed manifest's version).
 */
import { CTX_BITS, TRI_BITS, type CharLm } from "./surprisal";
import { LM_BASE64 } from "./lm-table";

let decoded: CharLm | undefined;

export function bundledLm(): CharLm {
  if (decoded) return decoded;
  const bytes = new Uint8Array(LM_BASE64.length === 0 ? (1 << TRI_BITS) + (1 << CTX_BITS) : 0);
  const raw = LM_BASE64.length === 0 ? bytes : Uint8Array.from(atob(LM_BASE64), (c) => c.charCodeAt(0));
  if (raw.length !== (1 << TRI_BITS) + (1 << CTX_BITS)) throw new Error("lm-table.ts has the wrong size");
  decoded = { trigram: raw.subarray(0, 1 << TRI_BITS), context: raw.subarray(1 << TRI_BITS), empty: raw.every((b) => b === 0) };
  return decoded;
}

/** FNV-1a over both tables, as 8 hex digits. */
export function lmId(lm: CharLm): string {
  let h = 0x811c9dc5;
  for (const table of [lm.trigram, lm.context]) for (let i = 0; i < table.length; i++) h = Math.imul(h ^ table[i]!, 0x01000193);
  return (h >>> 0).toString(16).padStart(8, "0");
}

/** Written by wasm-models/train.ts (wasm-models/lib/lm.ts): the character trigram model of harmless text, see surprisal.ts. Do not edit. */
export const LM_ID = "d3209dc5";
export const LM_BASE64 =
  "";

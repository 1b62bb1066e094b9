/** Written by wasm-models/train.ts (wasm-models/lib/glove.ts). Do not edit. */
export const VECTOR_ID = "none";
export const VECTOR_WORDS = 0;
export const VECTOR_SCALES: number[] = [];
export const VECTOR_BASE64 =
  "";

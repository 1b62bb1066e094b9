/**
 * Re-exports the shipped model's trained weights with the current graph (lib/onnx-export.ts),
 * without retraining: for a change of the ONNX formulation or of the feature count that keeps
 * every score. Weights past FEATURES (e.g. word-vector inputs when no table ships) must be zero,
 * so that dropping them cannot change a score. Then re-sign: npx tsx wasm-models/sign.ts
 *
 *   npx tsx wasm-models/reexport.ts
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { FEATURES } from "../worker/screen/featurize";
import { exportOnnx, readOnnx } from "./lib/onnx-export";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const MODEL_FILE = here("screen.onnx");
const METRICS_FILE = here("metrics.json");

const { model, docString } = readOnnx(readFileSync(MODEL_FILE));
if (model.weights.length < FEATURES) throw new Error(`the model has ${model.weights.length} weights, the featurizer ${FEATURES} inputs`);
const dropped = model.weights.subarray(FEATURES);
if (dropped.some((w) => w !== 0)) throw new Error(`weights past ${FEATURES} are not all zero: dropping them would change scores`);
const onnx = exportOnnx({ weights: model.weights.slice(0, FEATURES), bias: model.bias }, docString);
writeFileSync(MODEL_FILE, onnx);
const metrics = JSON.parse(readFileSync(METRICS_FILE, "utf8")) as { model_bytes?: number };
metrics.model_bytes = onnx.length;
writeFileSync(METRICS_FILE, JSON.stringify(metrics, null, 2) + "\n");
console.log(`wrote ${MODEL_FILE}: ${FEATURES} weights (${dropped.length} zero weights dropped), ${onnx.length} bytes; now run wasm-models/sign.ts`);

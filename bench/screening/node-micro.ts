/**
 * Per-call percentiles of the screening work alone (featurize + pack + one inference), in Node
 * with onnxruntime-web's wasm backend (the same .wasm the Worker runs) and a high-resolution
 * clock, which workerd does not offer. Run: npx tsx bench/screening/node-micro.ts
 */
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import * as ort from "onnxruntime-web";
import { pack } from "../../worker/screen/batch";
import { screeningWindows } from "../../worker/screen/featurize";
import { prompt } from "./prompt";

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

async function main(): Promise<void> {
  ort.env.wasm.numThreads = 1;
  const session = await ort.InferenceSession.create(readFileSync(new URL("../../wasm-models/screen.onnx", import.meta.url)));
  const out: Record<string, unknown> = {};
  for (const kb of [2, 20]) {
    const text = prompt(kb);
    const n = kb === 2 ? 5000 : 1000;
    const total: number[] = [];
    const feat: number[] = [];
    const infer: number[] = [];
    for (let i = 0; i < n + 200; i++) {
      const t0 = performance.now();
      const b = pack(screeningWindows(text));
      const t1 = performance.now();
      await session.run({ indices: new ort.Tensor("int32", b.indices, [b.rows, b.width]), values: new ort.Tensor("float32", b.values, [b.rows, b.width]) });
      const t2 = performance.now();
      if (i < 200) continue;
      feat.push(t1 - t0);
      infer.push(t2 - t1);
      total.push(t2 - t0);
    }
    const stats = (xs: number[]) => ({ p50: +percentile(xs, 50).toFixed(4), p99: +percentile(xs, 99).toFixed(4) });
    out[`${kb}KB`] = { windows: screeningWindows(text).length, n, total: stats(total), featurize_and_pack: stats(feat), inference: stats(infer) };
  }
  console.log(JSON.stringify({ node: process.version, ...out }, null, 2));
}

await main();

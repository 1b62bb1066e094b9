/** Scores featurized texts with the exported model through onnxruntime-web in Node. */
import * as ort from "onnxruntime-web";
import { pack } from "../../worker/screen/batch";
import type { SparseVector } from "../../worker/screen/featurize";

export type Scorer = (windows: SparseVector[]) => Promise<number>;

export async function onnxScorer(model: Uint8Array): Promise<Scorer> {
  ort.env.wasm.numThreads = 1;
  const session = await ort.InferenceSession.create(model);
  return async (windows) => {
    if (windows.length === 0) return 0;
    const b = pack(windows);
    const out = await session.run({
      indices: new ort.Tensor("int32", b.indices, [b.rows, b.width]),
      values: new ort.Tensor("float32", b.values, [b.rows, b.width]),
    });
    return Math.max(...(out.score!.data as Float32Array));
  };
}

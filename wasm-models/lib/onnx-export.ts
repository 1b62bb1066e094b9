/**
 * Writes the screening model as ONNX with onnx-proto (no Python). The graph is a logistic
 * regression over the featurizer's sparse windows, fed as padded (index, value) pairs:
 *
 *   indices int32 [windows, nnz], values float32 [windows, nnz]   (padding: index 0, value 0)
 *   score = Sigmoid(ReduceSum(Gather(weights, indices) * values, axis 1) + bias)   -> [windows]
 *
 * Gathering only the non-zero weights keeps inference proportional to the text, not to DIM.
 */
import onnxProto from "onnx-proto";
import type { LogReg } from "./logreg";

const { onnx } = onnxProto;

export const INPUT_INDICES = "indices";
export const INPUT_VALUES = "values";
export const OUTPUT_SCORE = "score";
const OPSET = 13;

function floatTensor(name: string, dims: number[], data: Float32Array) {
  return onnx.TensorProto.create({
    name,
    dims,
    dataType: onnx.TensorProto.DataType.FLOAT,
    rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  });
}

function valueInfo(name: string, elemType: number, dims: Array<string | number>) {
  return onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === "string" ? { dimParam: d } : { dimValue: d })) },
      },
    },
  });
}

export function exportOnnx(model: LogReg, docString: string): Uint8Array {
  const axes = new BigInt64Array([1n]);
  const graph = onnx.GraphProto.create({
    name: "warden_screen",
    initializer: [
      floatTensor("weights", [model.weights.length], Float32Array.from(model.weights)),
      floatTensor("bias", [1], Float32Array.of(model.bias)),
      onnx.TensorProto.create({ name: "axes", dims: [1], dataType: onnx.TensorProto.DataType.INT64, rawData: new Uint8Array(axes.buffer) }),
    ],
    node: [
      onnx.NodeProto.create({ opType: "Gather", input: ["weights", INPUT_INDICES], output: ["gathered"], name: "gather" }),
      onnx.NodeProto.create({ opType: "Mul", input: ["gathered", INPUT_VALUES], output: ["products"], name: "mul" }),
      onnx.NodeProto.create({
        opType: "ReduceSum",
        input: ["products", "axes"],
        output: ["dot"],
        name: "sum",
        attribute: [onnx.AttributeProto.create({ name: "keepdims", type: onnx.AttributeProto.AttributeType.INT, i: 0 })],
      }),
      onnx.NodeProto.create({ opType: "Add", input: ["dot", "bias"], output: ["logit"], name: "add_bias" }),
      onnx.NodeProto.create({ opType: "Sigmoid", input: ["logit"], output: [OUTPUT_SCORE], name: "sigmoid" }),
    ],
    input: [
      valueInfo(INPUT_INDICES, onnx.TensorProto.DataType.INT32, ["windows", "nnz"]),
      valueInfo(INPUT_VALUES, onnx.TensorProto.DataType.FLOAT, ["windows", "nnz"]),
    ],
    output: [valueInfo(OUTPUT_SCORE, onnx.TensorProto.DataType.FLOAT, ["windows"])],
  });
  const proto = onnx.ModelProto.create({
    irVersion: 8,
    producerName: "warden-wasm-models",
    producerVersion: "1",
    docString,
    opsetImport: [{ domain: "", version: OPSET }],
    graph,
  });
  return onnx.ModelProto.encode(proto).finish();
}

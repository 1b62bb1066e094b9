/**
 * Writes the screening model as ONNX with onnx-proto (no Python). The graph is a logistic
 * regression over the featurizer's sparse windows, fed as padded (index, value) pairs:
 *
 *   indices int32 [windows, nnz], values float32 [windows, nnz]   (padding: index 0, value 0)
 *   score = Sigmoid(ReduceSum(weights[indices] * values, axis 1) + bias)   -> [windows]
 *
 * Looking up only the non-zero weights keeps inference proportional to the text, not to DIM.
 * The lookup is GatherElements on the flattened indices, not Gather: measured on
 * onnxruntime-web's CPU .wasm, Gather cost ~18 ns per entry (~170 µs of a 2 KB prompt's 9,330
 * padded entries, two thirds of session.run), GatherElements a few ns (bench/RESULTS.md,
 * "Screening CPU: onnxruntime call, 2026-12-07"). Same weights, same products, same sums: the
 * scores are bit for bit those of the Gather graph (exportGatherOnnx, kept as the reference
 * test/screening/onnx-formulation.test.ts checks).
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

function int64Tensor(name: string, values: bigint[]) {
  const data = BigInt64Array.from(values);
  return onnx.TensorProto.create({ name, dims: [data.length], dataType: onnx.TensorProto.DataType.INT64, rawData: new Uint8Array(data.buffer) });
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

const node = (name: string, opType: string, input: string[], output: string[], attribute: ReturnType<typeof onnx.AttributeProto.create>[] = []) =>
  onnx.NodeProto.create({ opType, input, output, name, attribute });

/** ReduceSum over the entries of each window, then the bias and the sigmoid: shared by both graphs. */
const scoreNodes = (gathered: string) => [
  node("mul", "Mul", [gathered, INPUT_VALUES], ["products"]),
  node("sum", "ReduceSum", ["products", "axes"], ["dot"], [onnx.AttributeProto.create({ name: "keepdims", type: onnx.AttributeProto.AttributeType.INT, i: 0 })]),
  node("add_bias", "Add", ["dot", "bias"], ["logit"]),
  node("sigmoid", "Sigmoid", ["logit"], [OUTPUT_SCORE]),
];

function encode(model: LogReg, docString: string, lookup: ReturnType<typeof node>[], extra: ReturnType<typeof int64Tensor>[]): Uint8Array {
  const graph = onnx.GraphProto.create({
    name: "warden_screen",
    initializer: [floatTensor("weights", [model.weights.length], Float32Array.from(model.weights)), floatTensor("bias", [1], Float32Array.of(model.bias)), int64Tensor("axes", [1n]), ...extra],
    node: [...lookup, ...scoreNodes("gathered")],
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

/** The shipped graph: weights[indices] by GatherElements on the flattened indices, reshaped back to [windows, nnz]. */
export function exportOnnx(model: LogReg, docString: string): Uint8Array {
  return encode(
    model,
    docString,
    [
      node("flatten", "Reshape", [INPUT_INDICES, "flat"], ["flat_indices"]),
      node("gather", "GatherElements", ["weights", "flat_indices"], ["flat_gathered"]),
      node("shape", "Shape", [INPUT_VALUES], ["window_shape"]),
      node("unflatten", "Reshape", ["flat_gathered", "window_shape"], ["gathered"]),
    ],
    [int64Tensor("flat", [-1n])],
  );
}

/** The graph shipped until 2026-12-07 (Gather): the reference the shipped graph must match bit for bit. */
export function exportGatherOnnx(model: LogReg, docString: string): Uint8Array {
  return encode(model, docString, [node("gather", "Gather", ["weights", INPUT_INDICES], ["gathered"])], []);
}

/** The trained weights and bias of an exported model, and its doc string (to re-export without retraining). */
export function readOnnx(bytes: Uint8Array): { model: LogReg; docString: string } {
  const proto = onnx.ModelProto.decode(bytes);
  const tensor = (name: string) => {
    const t = proto.graph?.initializer?.find((i) => i.name === name);
    if (!t?.rawData || t.dataType !== onnx.TensorProto.DataType.FLOAT) throw new Error(`no float initializer '${name}' in the model`);
    const raw = t.rawData;
    return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  };
  return { model: { weights: Float64Array.from(tensor("weights")), bias: tensor("bias")[0]! }, docString: proto.docString ?? "" };
}

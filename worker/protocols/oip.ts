import { z } from "zod";
import type { TensorSpec } from "../config/model";
import { WardenError } from "../errors";
import { version } from "../../package.json";

/** Open Inference Protocol v2 (KServe/Triton) REST infer request; parameters pass through. */
const Tensor = z.looseObject({
  name: z.string().min(1).max(256),
  datatype: z.string().min(1),
  shape: z.array(z.number().int().min(0)).min(1).max(8),
  data: z.array(z.unknown()),
  parameters: z.record(z.string(), z.unknown()).optional(),
});
export type InferTensor = z.infer<typeof Tensor>;

export const InferRequest = z.looseObject({
  id: z.string().max(256).optional(),
  inputs: z.array(Tensor).min(1).max(64),
  outputs: z.array(z.looseObject({ name: z.string(), parameters: z.record(z.string(), z.unknown()).optional() })).optional(),
  parameters: z.record(z.string(), z.unknown()).optional(),
});
export type InferRequest = z.infer<typeof InferRequest>;

const INT_RANGES: Record<string, [number, number]> = {
  INT8: [-128, 127], INT16: [-32768, 32767], INT32: [-2147483648, 2147483647], INT64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  UINT8: [0, 255], UINT16: [0, 65535], UINT32: [0, 4294967295], UINT64: [0, Number.MAX_SAFE_INTEGER],
};

/** Flattens OIP data, which may be given flat or nested row-major. */
export function flatten(data: unknown[]): unknown[] {
  return data.some(Array.isArray) ? (data as unknown[]).flat(Infinity as 1) : data;
}

/**
 * Checks each input against the model's declared tensors: name, datatype, shape (-1 = any),
 * element count, element type, and per-feature min/max over the last dimension. Throws 400.
 */
export function checkInputs(req: InferRequest, specs: TensorSpec[] | undefined): void {
  for (const t of req.inputs) {
    const count = t.shape.reduce((a, b) => a * b, 1);
    const values = flatten(t.data);
    const where = `inputs[${t.name}]`;
    if (values.length !== count) throw bad(`${where}: shape ${JSON.stringify(t.shape)} needs ${count} values, got ${values.length}`);
    if (!specs) continue;
    const spec = specs.find((s) => s.name === t.name);
    if (!spec) throw bad(`${where}: the model has no input of that name`);
    if (t.datatype !== spec.datatype) throw bad(`${where}: datatype must be ${spec.datatype}`);
    if (t.shape.length !== spec.shape.length || spec.shape.some((d, i) => d !== -1 && d !== t.shape[i])) {
      throw bad(`${where}: shape must be ${JSON.stringify(spec.shape)} (-1 = any)`);
    }
    checkValues(values, spec, t.shape[t.shape.length - 1]!, where);
  }
  if (specs) {
    for (const spec of specs) if (!req.inputs.some((t) => t.name === spec.name)) throw bad(`inputs: missing ${spec.name}`);
  }
}

function checkValues(values: unknown[], spec: TensorSpec, width: number, where: string): void {
  const type = spec.datatype;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (type === "BYTES") {
      if (typeof v !== "string") throw bad(`${where}: BYTES elements must be strings`);
      continue;
    }
    if (type === "BOOL") {
      if (typeof v !== "boolean") throw bad(`${where}: BOOL elements must be booleans`);
      continue;
    }
    if (typeof v !== "number" || !Number.isFinite(v)) throw bad(`${where}: element ${i} is not a finite number`);
    const range = INT_RANGES[type];
    if (range && (!Number.isInteger(v) || v < range[0] || v > range[1])) throw bad(`${where}: element ${i} is not a valid ${type}`);
    const feature = i % width;
    const lo = bound(spec.min, feature);
    const hi = bound(spec.max, feature);
    if (lo !== undefined && v < lo) throw bad(`${where}: feature ${feature} is below its minimum ${lo}`);
    if (hi !== undefined && v > hi) throw bad(`${where}: feature ${feature} is above its maximum ${hi}`);
  }
}

function bound(b: number | number[] | undefined, feature: number): number | undefined {
  return Array.isArray(b) ? b[feature] : b;
}

/**
 * Triton's protocol extensions that move tensors out of the JSON Warden reads
 * (https://github.com/triton-inference-server/server/blob/main/docs/protocol/):
 * - binary inputs (`binary_data_size`) and shared-memory inputs would reach the model unchecked
 *   and unscreened: always refused (Warden accepts JSON tensors only);
 * - shared-memory outputs are written where Warden never sees them (or into another client's
 *   region): always refused;
 * - binary outputs (`binary_data_output`, an output's `binary_data`) and `classification`
 *   (scores as strings) would skip rounding, noise, watermark and boundary measurement: refused
 *   on models with output protection. `false` (and `classification: 0`) ask for nothing and pass.
 * The origin receives Warden's own serialization of the body, so duplicate keys cannot make it
 * read something other than what is checked here.
 */
export function checkInferExtensions(req: InferRequest, outputsProtected: boolean): void {
  const errors: Array<{ path: string; message: string }> = [];
  req.inputs.forEach((t, i) => {
    for (const key of Object.keys(t.parameters ?? {})) {
      if (key === "binary_data_size" || SHARED_MEMORY.has(key)) errors.push({ path: `inputs.${i}.parameters.${key}`, message: "binary and shared-memory inputs are not accepted; send the tensor as JSON data" });
    }
  });
  (req.outputs ?? []).forEach((o, i) => {
    for (const [key, value] of Object.entries(o.parameters ?? {})) {
      if (SHARED_MEMORY.has(key)) errors.push({ path: `outputs.${i}.parameters.${key}`, message: "shared-memory outputs are not accepted" });
      else if (outputsProtected && key === "binary_data" && value !== false) errors.push({ path: `outputs.${i}.parameters.binary_data`, message: PROTECTED });
      else if (outputsProtected && key === "classification" && value !== 0 && value !== false) errors.push({ path: `outputs.${i}.parameters.classification`, message: PROTECTED });
    }
  });
  const binary = req.parameters?.binary_data_output;
  if (outputsProtected && binary !== undefined && binary !== false) errors.push({ path: "parameters.binary_data_output", message: PROTECTED });
  if (errors.length > 0) {
    throw new WardenError("invalid_request", `Unsupported inference extension: ${errors.map((e) => e.path).join(", ")}`, { extensions: { errors } });
  }
}

const SHARED_MEMORY = new Set(["shared_memory_region", "shared_memory_byte_size", "shared_memory_offset"]);
const PROTECTED = "this model's outputs are protected: they are returned as JSON data only";

/** BYTES inputs are text the model reads: screen them like prompts. */
export function inferTexts(req: InferRequest): string[] {
  return req.inputs.filter((t) => t.datatype === "BYTES").flatMap((t) => flatten(t.data).filter((v): v is string => typeof v === "string"));
}

/**
 * A model version as it may appear in a path (Triton's are integers, KServe's names): letters,
 * digits, `.`, `_`, `-`, starting with a letter or digit. It reaches the origin in the path, so
 * nothing that could mean another path there (`..`, `/`, percent-escapes) is let through.
 */
export function modelVersion(version: string | undefined): string {
  if (version === undefined || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(version)) {
    throw new WardenError("invalid_request", "The model version must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit.", {
      extensions: { errors: [{ path: "version", message: "invalid model version" }] },
    });
  }
  return version;
}

/**
 * OIP server metadata (`GET /v2`): Warden is the server the client talks to, at its own version;
 * it offers none of the protocol's extensions (binary and shared-memory tensors are refused).
 */
export const SERVER_METADATA = { name: "warden", version, extensions: [] as string[] } as const;

function bad(detail: string): WardenError {
  return new WardenError("invalid_request", detail);
}

/**
 * Open Inference Protocol v2 (KServe REST) routes of the demo origin, serving the "digits"
 * classifier trained by train-classifier.mjs:
 *   GET  /v2, /v2/health/live, /v2/health/ready
 *   GET  /v2/models/digits[/versions/1], GET /v2/models/digits[/versions/1]/ready
 *   POST /v2/models/digits[/versions/1]/infer
 * Input `input-0` FP32 [-1, 64] (8×8 intensities 0..16, row-major; `data` flat or nested);
 * output `probabilities` FP32 [-1, 10]. Errors are KServe's `{ "error": "..." }`.
 */
import { readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { predictProba } from "./classifier.mjs";
import { oipError, readJsonObject, sendJson } from "./http-util.mjs";

let digits = null;
/** The committed classifier, loaded on first use. */
export function digitsModel() {
  digits ??= JSON.parse(readFileSync(new URL("./digits-model.json", import.meta.url), "utf8"));
  return digits;
}

const VERSION = "1";
const NUMERIC = new Set(["FP16", "FP32", "FP64", "INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16", "UINT32", "UINT64"]);

function metadata(model) {
  return {
    name: model.name,
    versions: [VERSION],
    platform: "warden-demo-js",
    inputs: [{ name: model.inputs.name, datatype: model.inputs.datatype, shape: model.inputs.shape }],
    outputs: [{ name: model.outputs.name, datatype: model.outputs.datatype, shape: model.outputs.shape }],
  };
}

function flatten(data) {
  if (!Array.isArray(data)) throw oipError(400, "input data must be an array");
  const out = [];
  const walk = (v) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === "number" && Number.isFinite(v)) out.push(v);
    else throw oipError(400, "input data must hold only finite numbers");
  };
  walk(data);
  return out;
}

async function infer(req, res, model) {
  const body = await readJsonObject(req, (m) => oipError(400, m));
  if (!Array.isArray(body.inputs) || body.inputs.length !== 1) throw oipError(400, `expected exactly one input, '${model.inputs.name}'`);
  const input = body.inputs[0];
  if (input?.name !== model.inputs.name) throw oipError(400, `unexpected input '${input?.name}', expected '${model.inputs.name}'`);
  if (!NUMERIC.has(input.datatype)) throw oipError(400, `unsupported datatype '${input.datatype}' for '${input.name}'`);
  const features = model.inputs.shape[1];
  const shape = input.shape;
  if (!Array.isArray(shape) || shape.length !== 2 || shape[1] !== features || !Number.isInteger(shape[0]) || shape[0] < 1 || shape[0] > 4096)
    throw oipError(400, `input shape must be [batch, ${features}] with 1 ≤ batch ≤ 4096`);
  const data = flatten(input.data);
  if (data.length !== shape[0] * features) throw oipError(400, `input has ${data.length} values, shape [${shape}] needs ${shape[0] * features}`);
  const requested = body.outputs;
  if (requested !== undefined && (!Array.isArray(requested) || requested.some((o) => o?.name !== model.outputs.name)))
    throw oipError(400, `unknown output requested; this model has '${model.outputs.name}'`);

  const probabilities = [];
  for (let row = 0; row < shape[0]; row++) {
    for (const p of predictProba(model, data.slice(row * features, (row + 1) * features))) probabilities.push(Math.fround(p));
  }
  sendJson(res, 200, {
    model_name: model.name,
    model_version: VERSION,
    id: typeof body.id === "string" ? body.id : randomUUID(),
    outputs: [{ name: model.outputs.name, datatype: "FP32", shape: [shape[0], model.outputs.shape[1]], data: probabilities }],
  });
}

/** Route an OIP request; returns false when the path is not an OIP route. */
export async function handleOip(req, res, path) {
  if (req.method === "GET" && path === "/v2") return sendJson(res, 200, { name: "warden-demo-origin", version: VERSION, extensions: [] }), true;
  if (req.method === "GET" && path === "/v2/health/live") return sendJson(res, 200, { live: true }), true;
  if (req.method === "GET" && path === "/v2/health/ready") return sendJson(res, 200, { ready: true }), true;
  const m = /^\/v2\/models\/([^/]+)(?:\/versions\/([^/]+))?(\/ready|\/infer)?$/.exec(path);
  if (!m) return false;
  const [, rawName, version, action] = m;
  const name = decodeURIComponent(rawName);
  const model = digitsModel();
  if (name !== model.name || (version !== undefined && version !== VERSION)) throw oipError(404, `model '${name}'${version ? ` version '${version}'` : ""} is not found`);
  if (action === "/infer") {
    if (req.method !== "POST") throw oipError(405, "use POST for infer");
    await infer(req, res, model);
  } else if (req.method !== "GET") {
    throw oipError(405, `use GET for ${action ? "model readiness" : "model metadata"}`);
  } else if (action === "/ready") {
    sendJson(res, 200, { name: model.name, ready: true });
  } else {
    sendJson(res, 200, metadata(model));
  }
  return true;
}

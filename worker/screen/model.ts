/**
 * The bundled screening model, verified and loaded once per isolate, on first use.
 *
 * loadModel() is the whole check, in order: manifest signature, readable == signed, featurizer
 * version, model SHA-256, then the onnxruntime session. Tests call it with tampered inputs.
 */
import modelFile from "../../wasm-models/screen.onnx";
import manifestFile from "../../wasm-models/manifest.json";
import { ScreeningUnavailable } from "./errors";
import { DIM, FEATURIZER_VERSION, STRIDE, WINDOW } from "./featurize";
import { verifyManifest, verifyModelBytes, type ManifestPayload } from "./manifest";
import type { Session } from "./ort-runtime";

export interface ScreeningModel {
  session: Session;
  manifest: ManifestPayload;
}

export async function loadModel(bytes: ArrayBuffer | Uint8Array, manifest: unknown, publicKeyJwk: string | undefined): Promise<ScreeningModel> {
  const payload = await verifyManifest(manifest, publicKeyJwk);
  const f = payload.featurizer;
  if (f.version !== FEATURIZER_VERSION || f.dim !== DIM || f.window !== WINDOW || f.stride !== STRIDE) {
    throw new ScreeningUnavailable("featurizer_mismatch", `model expects ${f.version}/${f.dim}, Worker has ${FEATURIZER_VERSION}/${DIM}`);
  }
  await verifyModelBytes(bytes, payload);
  try {
    // Imported on first use: onnxruntime and its 14 MB .wasm are only loaded by an isolate that
    // screens (each test file's Worker, and a Worker with screening off, start without them).
    const { createSession } = await import("./ort-runtime");
    const session = await createSession(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));
    return { session, manifest: payload };
  } catch (cause) {
    throw new ScreeningUnavailable("runtime_error", "onnxruntime could not load the model", { cause });
  }
}

/**
 * One load per isolate and public key. A verification failure is remembered (the bundled files
 * cannot change while the isolate lives); a runtime failure is retried on the next request.
 */
let cached: { key: string | undefined; model: Promise<ScreeningModel> } | undefined;

export function bundledModel(publicKeyJwk: string | undefined): Promise<ScreeningModel> {
  if (cached && cached.key === publicKeyJwk) return cached.model;
  const entry = { key: publicKeyJwk, model: loadModel(modelFile, manifestFile, publicKeyJwk) };
  cached = entry;
  entry.model.catch((err: unknown) => {
    const retry = !(err instanceof ScreeningUnavailable) || err.reason === "runtime_error";
    if (retry && cached === entry) cached = undefined;
  });
  return entry.model;
}

/**
 * onnxruntime-web inside workerd: the one place that knows how to start it.
 *
 * workerd refuses to compile WebAssembly from bytes at run time ("Wasm code generation
 * disallowed by embedder"), and ort's default loader cannot locate its .wasm file. So:
 * - the .wasm is imported as a module: wrangler's CompiledWasm rule hands us an already
 *   compiled WebAssembly.Module;
 * - ort is imported from `onnxruntime-web/wasm` (CPU only) with one thread and no proxy worker;
 * - ort's loader ends in a single `WebAssembly.instantiate(bytes, imports)`. We give ort a
 *   recognisable placeholder as its `wasmBinary`, and wrap `WebAssembly.instantiate` so that
 *   for exactly those bytes it instantiates the imported module instead. Every other call goes
 *   to the real function unchanged.
 * Nothing runs at import time: the first createSession() sets this up (script start-up stays
 * cheap, and a failure becomes a ScreeningUnavailable for the request instead of a crash).
 */
import * as ort from "onnxruntime-web/wasm";
import ortWasmModule from "onnxruntime-web/ort-wasm-simd-threaded.wasm";

/** Not WebAssembly (no "\0asm" magic): compiling it by mistake would fail loudly. */
const PLACEHOLDER = new TextEncoder().encode("warden: use the imported ort-wasm-simd-threaded module");

function isPlaceholder(source: unknown): boolean {
  const bytes = source instanceof ArrayBuffer ? new Uint8Array(source) : ArrayBuffer.isView(source) ? new Uint8Array(source.buffer, source.byteOffset, source.byteLength) : null;
  if (!bytes || bytes.length !== PLACEHOLDER.length) return false;
  return bytes.every((b, i) => b === PLACEHOLDER[i]);
}

let prepared = false;

function prepare(): void {
  if (prepared) return;
  const instantiate = WebAssembly.instantiate.bind(WebAssembly) as (source: unknown, imports?: WebAssembly.Imports) => Promise<unknown>;
  // Same shape as instantiate(bytes): ort reads `.instance` and `.module` from the result.
  const wrapped = async (source: unknown, imports?: WebAssembly.Imports) => {
    if (!isPlaceholder(source)) return instantiate(source, imports);
    const instance = await instantiate(ortWasmModule, imports);
    return { instance, module: ortWasmModule };
  };
  (WebAssembly as { instantiate: unknown }).instantiate = wrapped;
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  ort.env.wasm.wasmBinary = PLACEHOLDER;
  prepared = true;
}

export type Session = ort.InferenceSession;

export async function createSession(model: Uint8Array): Promise<Session> {
  prepare();
  return ort.InferenceSession.create(model, { executionProviders: ["wasm"], graphOptimizationLevel: "all" });
}

/** Runs the screening graph on packed windows; returns one score per window. */
export async function runScreen(session: Session, indices: Int32Array, values: Float32Array, rows: number, width: number): Promise<Float32Array> {
  const out = await session.run({
    indices: new ort.Tensor("int32", indices, [rows, width]),
    values: new ort.Tensor("float32", values, [rows, width]),
  });
  const score = out.score;
  if (!score || !(score.data instanceof Float32Array)) throw new Error("model output 'score' missing or not float32");
  return score.data;
}

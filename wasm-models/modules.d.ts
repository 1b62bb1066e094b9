/**
 * Module types for the files wrangler.toml's rules load: `*.wasm` as a compiled
 * WebAssembly.Module (CompiledWasm), `*.onnx` as bytes (Data).
 */
declare module "*.wasm" {
  const module: WebAssembly.Module;
  export default module;
}

declare module "*.onnx" {
  const bytes: ArrayBuffer;
  export default bytes;
}

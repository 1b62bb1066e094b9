import { describe, expect, it } from "vitest";
import { env } from "cloudflare:test";
import { bearer, call, createTenant, issueKey, json, problem } from "../../helpers/warden";
import type { EchoBody } from "../../helpers/origin-server";

/**
 * Issue 8, item 3: Triton's binary tensor extension must not carry outputs past rounding, noise
 * and watermark, nor inputs past the input checks. The test origin's /binary-output behaves as
 * Triton does: binary outputs when the request asks for them (or always).
 */
const DIGITS_INPUT = { name: "input-0", datatype: "FP32", shape: [-1, 64], min: 0, max: 16 };
const protectedDigits = (path: string) => ({
  name: "digits", protocol: "oip", origins: [{ url: `${env.ORIGIN_URL}${path}` }], inputs: [DIGITS_INPUT],
  outputs: [{ name: "probabilities", kind: "probabilities" }], protection: { probabilities: { mode: "round", decimals: 1 } },
});
const plainDigits = (path: string) => ({ name: "digits", protocol: "oip", origins: [{ url: `${env.ORIGIN_URL}${path}` }] });
const row = Array.from({ length: 64 }, (_, i) => i % 17);
const request = (extra: Record<string, unknown> = {}, input: Record<string, unknown> = {}) => ({
  inputs: [{ name: "input-0", datatype: "FP32", shape: [1, 64], data: row, ...input }], ...extra,
});

async function setup(model: unknown) {
  const { id } = await createTenant({ models: [model] });
  const { key } = await issueKey(id);
  return (body: unknown, headers: Record<string, string> = {}) => call(`/t/${id}/v2/models/digits/infer`, json(body, { ...bearer(key), ...headers }));
}
async function errorPaths(res: Response): Promise<string[]> {
  expect(res.status).toBe(400);
  const p = (await problem(res)) as unknown as { code: string; errors: Array<{ path: string }> };
  expect(p.code).toBe("invalid_request");
  return p.errors.map((e) => e.path);
}

describe("binary OIP outputs on a model with output protection", () => {
  it("refuses a request for binary outputs (request-wide, per output, classification) with a 400 naming the parameter", async () => {
    const infer = await setup(protectedDigits("/binary-output"));
    expect(await errorPaths(await infer(request({ parameters: { binary_data_output: true } })))).toEqual(["parameters.binary_data_output"]);
    expect(await errorPaths(await infer(request({ outputs: [{ name: "probabilities", parameters: { binary_data: true } }] })))).toEqual(["outputs.0.parameters.binary_data"]);
    expect(await errorPaths(await infer(request({ outputs: [{ name: "probabilities", parameters: { classification: 3 } }] })))).toEqual(["outputs.0.parameters.classification"]);
    // Truthy non-booleans are refused too: a lax origin reads "false" as true.
    expect(await errorPaths(await infer(request({ parameters: { binary_data_output: "false" } })))).toEqual(["parameters.binary_data_output"]);
  });

  it("still answers JSON, rounded, when binary output is explicitly off", async () => {
    const infer = await setup(protectedDigits("/binary-output"));
    const res = await infer(request({ parameters: { binary_data_output: false } }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { outputs: Array<{ data: number[] }> };
    for (const v of body.outputs[0]!.data) expect(Math.round(v * 10) / 10).toBeCloseTo(v, 10);
  });

  it("turns a binary answer the client did not ask for into a 502 origin_error, never raw floats", async () => {
    const infer = await setup(protectedDigits("/binary-output/always"));
    const res = await infer(request());
    expect(res.status).toBe(502);
    expect(res.headers.get("x-request-id")).toBeTruthy();
    expect((await problem(res)).code).toBe("origin_error");
  });

  it("passes binary outputs through for a model without output protection", async () => {
    const infer = await setup(plainDigits("/binary-output"));
    const res = await infer(request({ parameters: { binary_data_output: true } }));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/octet-stream");
    expect(Number(res.headers.get("inference-header-content-length"))).toBeGreaterThan(0);
    await res.arrayBuffer();
  });
});

describe("binary and shared-memory OIP inputs", () => {
  it.each([protectedDigits("/echo"), plainDigits("/echo")])("are refused whatever the model's protection (%#)", async (model) => {
    const infer = await setup(model);
    expect(await errorPaths(await infer(request({}, { data: [], shape: [0, 64], parameters: { binary_data_size: 256 } })))).toEqual(["inputs.0.parameters.binary_data_size"]);
    expect(await errorPaths(await infer(request({}, { parameters: { shared_memory_region: "other-tenant", shared_memory_byte_size: 256 } })))).toEqual([
      "inputs.0.parameters.shared_memory_region", "inputs.0.parameters.shared_memory_byte_size",
    ]);
    expect(await errorPaths(await infer(request({ outputs: [{ name: "probabilities", parameters: { shared_memory_region: "r" } }] })))).toEqual(["outputs.0.parameters.shared_memory_region"]);
  });

  it("refuses a Triton binary request body (JSON header + raw tensor bytes) as not JSON", async () => {
    const { id } = await createTenant({ models: [plainDigits("/echo")] });
    const { key } = await issueKey(id);
    const header = JSON.stringify({ inputs: [{ name: "input-0", datatype: "FP32", shape: [1, 64], parameters: { binary_data_size: 256 } }] });
    const body = new Uint8Array([...new TextEncoder().encode(header), ...new Uint8Array(new Float32Array(64).fill(1e9).buffer)]);
    const init = (type: string) => ({ method: "POST", body, headers: { ...bearer(key), "content-type": type, "inference-header-content-length": String(header.length) } });
    expect((await call(`/t/${id}/v2/models/digits/infer`, init("application/octet-stream"))).status).toBe(415);
    expect((await call(`/t/${id}/v2/models/digits/infer`, init("application/json"))).status).toBe(400);
  });

  it("never forwards Inference-Header-Content-Length, so the origin reads the body as the JSON Warden checked", async () => {
    const infer = await setup(plainDigits("/echo"));
    const body = JSON.stringify(request());
    const res = await infer(request(), { "inference-header-content-length": String(body.length) });
    expect(res.status).toBe(200);
    const echo = (await res.json()) as EchoBody;
    expect(echo.headers["inference-header-content-length"]).toBeUndefined();
  });
});

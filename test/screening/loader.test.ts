/**
 * The model loader refuses a changed model or manifest with a typed ScreeningUnavailable (the
 * pipeline turns it into fail-closed or fail-open per tenant policy), and accepts the real pair.
 */
import { describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { CompactSign, exportJWK, generateKeyPair } from "jose";
import modelFile from "../../wasm-models/screen.onnx";
import manifestFile from "../../wasm-models/manifest.json";
import { ScreeningUnavailable, type ScreeningFailure } from "../../worker/screen";
import { MANIFEST_ALG, MANIFEST_TYP, type ManifestPayload } from "../../worker/screen/manifest";
import { bundledModel, loadModel } from "../../worker/screen/model";

const KEY = env.MODEL_MANIFEST_PUBLIC_KEY;

async function refusal(load: Promise<unknown>): Promise<ScreeningFailure> {
  const err = await load.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ScreeningUnavailable);
  return (err as ScreeningUnavailable).reason;
}

/** A manifest signed with a fresh test key, for cases the real key must not be used for. */
async function signWithTestKey(payload: ManifestPayload) {
  const { publicKey, privateKey } = await generateKeyPair(MANIFEST_ALG, { extractable: true });
  const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader({ alg: MANIFEST_ALG, typ: MANIFEST_TYP }).sign(privateKey);
  return { manifest: { payload, jws }, publicKey: JSON.stringify(await exportJWK(publicKey)) };
}

describe("model loader", () => {
  it("accepts the committed model, manifest and configured key, and the model runs", async () => {
    expect(KEY).toMatch(/"crv":"Ed25519"/);
    const model = await loadModel(modelFile, manifestFile, KEY);
    expect(model.manifest.model.sha256).toBe(manifestFile.payload.model.sha256);
    expect(model.session.inputNames).toEqual(["indices", "values"]);
  });

  it("reuses one session per isolate", async () => {
    const a = await bundledModel(KEY);
    const b = await bundledModel(KEY);
    expect(b.session).toBe(a.session);
  });

  it("refuses a model file with one byte changed", async () => {
    const tampered = new Uint8Array(modelFile.slice(0));
    const at = tampered.length - 100;
    tampered[at] = tampered[at]! ^ 0x01;
    expect(await refusal(loadModel(tampered, manifestFile, KEY))).toBe("model_mismatch");
  });

  it("refuses a truncated model file", async () => {
    expect(await refusal(loadModel(modelFile.slice(0, 1000), manifestFile, KEY))).toBe("model_mismatch");
  });

  it("refuses a readable manifest that differs from the signed one (hash swapped for another model's)", async () => {
    const edited = structuredClone(manifestFile);
    edited.payload.model.sha256 = "0".repeat(64);
    expect(await refusal(loadModel(modelFile, edited, KEY))).toBe("manifest_mismatch");
  });

  it("refuses a manifest whose signed part was edited", async () => {
    const [header, payload, signature] = manifestFile.jws.split(".");
    const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(payload!.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0))));
    claims.model.bytes += 1;
    const forged = btoa(JSON.stringify(claims)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    expect(await refusal(loadModel(modelFile, { ...manifestFile, jws: `${header}.${forged}.${signature}` }, KEY))).toBe("bad_signature");
  });

  it("refuses a manifest signed by another key", async () => {
    const { manifest } = await signWithTestKey(manifestFile.payload as ManifestPayload);
    expect(await refusal(loadModel(modelFile, manifest, KEY))).toBe("bad_signature");
  });

  it("refuses a model trained for another featurizer, even when properly signed", async () => {
    const payload = structuredClone(manifestFile.payload) as ManifestPayload;
    payload.featurizer.version = "some-other-featurizer";
    const { manifest, publicKey } = await signWithTestKey(payload);
    expect(await refusal(loadModel(modelFile, manifest, publicKey))).toBe("featurizer_mismatch");
  });

  it("refuses to run without a usable public key", async () => {
    expect(await refusal(loadModel(modelFile, manifestFile, undefined))).toBe("no_public_key");
    expect(await refusal(loadModel(modelFile, manifestFile, "not json"))).toBe("bad_public_key");
    expect(await refusal(loadModel(modelFile, manifestFile, JSON.stringify({ kty: "EC", crv: "P-256", x: "a", y: "b" })))).toBe("bad_public_key");
  });

  it("refuses a manifest of the wrong shape", async () => {
    expect(await refusal(loadModel(modelFile, { jws: manifestFile.jws }, KEY))).toBe("bad_manifest");
    expect(await refusal(loadModel(modelFile, "x", KEY))).toBe("bad_manifest");
  });

  it("reports a model onnxruntime cannot load as a runtime error, when it is what the manifest signed", async () => {
    const garbage = new TextEncoder().encode("this is not an ONNX model");
    const payload = structuredClone(manifestFile.payload) as ManifestPayload;
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", garbage));
    payload.model.sha256 = [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
    payload.model.bytes = garbage.length;
    const { manifest, publicKey } = await signWithTestKey(payload);
    expect(await refusal(loadModel(garbage, manifest, publicKey))).toBe("runtime_error");
  });
});

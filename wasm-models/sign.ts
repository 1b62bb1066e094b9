/**
 * Signs wasm-models/manifest.json: the model file's SHA-256 and size, the featurizer it was
 * trained for, and headline metrics, as a compact JWS (Ed25519, via jose).
 *
 *   npx tsx wasm-models/sign.ts              sign with the private key (see below)
 *   npx tsx wasm-models/sign.ts --new-key    make a new key pair first (prints the public key)
 *
 * The private key is never committed. It is read from $MODEL_MANIFEST_PRIVATE_KEY (a JWK JSON
 * string) or from .keys/model-manifest.private.jwk (.keys/ is gitignored). A maintainer who does
 * not have it runs --new-key, then puts the printed public JWK into wrangler.toml [vars]
 * MODEL_MANIFEST_PUBLIC_KEY: the Worker accepts only manifests signed by that key.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { CompactSign, exportJWK, generateKeyPair, importJWK, type JWK } from "jose";
import { DIM, FEATURIZER_VERSION, STRIDE, WINDOW } from "../worker/screen/featurize";
import { MANIFEST_ALG, MANIFEST_TYP, sha256Hex, verifyManifest, type ManifestPayload } from "../worker/screen/manifest";
import { INPUT_INDICES, INPUT_VALUES, OUTPUT_SCORE } from "./lib/onnx-export";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const KEY_FILE = here("../.keys/model-manifest.private.jwk");
const MODEL_FILE = "screen.onnx";

async function newKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair(MANIFEST_ALG, { extractable: true });
  const jwk = await exportJWK(privateKey);
  mkdirSync(dirname(KEY_FILE), { recursive: true });
  writeFileSync(KEY_FILE, JSON.stringify(jwk) + "\n", { mode: 0o600 });
  console.log(`wrote a new private key to ${KEY_FILE}`);
  return jwk;
}

function privateJwk(): JWK {
  const text = process.env.MODEL_MANIFEST_PRIVATE_KEY ?? (existsSync(KEY_FILE) ? readFileSync(KEY_FILE, "utf8") : undefined);
  if (!text) throw new Error(`no signing key: set MODEL_MANIFEST_PRIVATE_KEY or create ${KEY_FILE} (--new-key)`);
  return JSON.parse(text) as JWK;
}

async function main(): Promise<void> {
  const jwk = process.argv.includes("--new-key") ? await newKey() : privateJwk();
  const publicJwk = JSON.stringify({ kty: jwk.kty, crv: jwk.crv, x: jwk.x });
  const model = readFileSync(here(MODEL_FILE));
  const metrics = JSON.parse(readFileSync(here("metrics.json"), "utf8")) as { warden: Record<string, unknown> };
  const pick = (k: string) => metrics.warden[k] as number;
  const payload: ManifestPayload = {
    schema: 1,
    model: { file: MODEL_FILE, sha256: await sha256Hex(model), bytes: model.length },
    featurizer: { version: FEATURIZER_VERSION, dim: DIM, window: WINDOW, stride: STRIDE },
    inputs: { indices: `${INPUT_INDICES}: int32 [windows, nnz]`, values: `${INPUT_VALUES}: float32 [windows, nnz]` },
    output: `${OUTPUT_SCORE}: float32 [windows]`,
    metrics: {
      val_roc_auc: pick("roc_auc"),
      val_recall_at_1pct_fpr: pick("recall_at_1pct_fpr"),
      val_recall_at_5pct_fpr: pick("recall_at_5pct_fpr"),
      val_threshold_at_1pct_fpr: pick("threshold_at_1pct_fpr"),
    },
  };
  const key = await importJWK(jwk, MANIFEST_ALG);
  const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader({ alg: MANIFEST_ALG, typ: MANIFEST_TYP }).sign(key);
  const manifest = { payload, jws };
  await verifyManifest(manifest, publicJwk);
  writeFileSync(here("manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
  console.log(`signed ${MODEL_FILE} (${payload.model.sha256})`);
  const toml = readFileSync(here("../wrangler.toml"), "utf8");
  if (!toml.includes(`MODEL_MANIFEST_PUBLIC_KEY = '${publicJwk}'`)) {
    console.log(`wrangler.toml does not hold this key yet; set in [vars]:\nMODEL_MANIFEST_PUBLIC_KEY = '${publicJwk}'`);
  }
}

await main();

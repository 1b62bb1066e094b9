/**
 * The signed model manifest (wasm-models/manifest.json):
 *
 *   { "payload": { ...what the model is... }, "jws": "<compact JWS, Ed25519, over the payload>" }
 *
 * The readable `payload` is for people; the Worker trusts only what the JWS carries, and refuses
 * the manifest when the two differ, when the signature does not verify with
 * MODEL_MANIFEST_PUBLIC_KEY, when the model file's SHA-256 differs, or when the model was made
 * for another featurizer. wasm-models/sign.ts writes the file.
 */
import { compactVerify, importJWK } from "jose";
import { z } from "zod";
import { ScreeningUnavailable } from "./errors";

export const MANIFEST_TYP = "warden-model-manifest+jws";
export const MANIFEST_ALG = "Ed25519";

export const ManifestPayloadSchema = z
  .object({
    schema: z.literal(1),
    model: z.object({ file: z.string().min(1), sha256: z.string().regex(/^[0-9a-f]{64}$/), bytes: z.number().int().positive() }).strict(),
    featurizer: z.object({ version: z.string().min(1), dim: z.number().int().positive(), window: z.number().int().positive(), stride: z.number().int().positive() }).strict(),
    inputs: z.object({ indices: z.string(), values: z.string() }).strict(),
    output: z.string(),
    metrics: z.record(z.string(), z.number()).optional(),
  })
  .strict();
export type ManifestPayload = z.infer<typeof ManifestPayloadSchema>;

const ManifestFileSchema = z.object({ payload: z.unknown(), jws: z.string().min(1) }).strict();

const PublicJwkSchema = z.object({ kty: z.literal("OKP"), crv: z.literal("Ed25519"), x: z.string().min(1) }).passthrough();

async function publicKey(jwkJson: string | undefined): Promise<CryptoKey> {
  if (!jwkJson) throw new ScreeningUnavailable("no_public_key", "MODEL_MANIFEST_PUBLIC_KEY is not set");
  let jwk: z.infer<typeof PublicJwkSchema>;
  try {
    jwk = PublicJwkSchema.parse(JSON.parse(jwkJson));
  } catch (cause) {
    throw new ScreeningUnavailable("bad_public_key", "MODEL_MANIFEST_PUBLIC_KEY is not an Ed25519 public JWK", { cause });
  }
  if ("d" in jwk) throw new ScreeningUnavailable("bad_public_key", "MODEL_MANIFEST_PUBLIC_KEY contains a private key");
  try {
    return (await importJWK({ kty: jwk.kty, crv: jwk.crv, x: jwk.x }, MANIFEST_ALG)) as CryptoKey;
  } catch (cause) {
    throw new ScreeningUnavailable("bad_public_key", "MODEL_MANIFEST_PUBLIC_KEY could not be imported", { cause });
  }
}

/** JSON with object keys sorted, so that the comparison does not depend on key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** Verifies the manifest's signature and returns the signed payload. */
export async function verifyManifest(manifest: unknown, publicKeyJwk: string | undefined): Promise<ManifestPayload> {
  const key = await publicKey(publicKeyJwk);
  const file = ManifestFileSchema.safeParse(manifest);
  if (!file.success) throw new ScreeningUnavailable("bad_manifest", "manifest.json must be { payload, jws }");
  let signed: Uint8Array;
  try {
    const result = await compactVerify(file.data.jws, key, { algorithms: [MANIFEST_ALG] });
    if (result.protectedHeader.typ !== MANIFEST_TYP) throw new Error(`typ is ${result.protectedHeader.typ}`);
    signed = result.payload;
  } catch (cause) {
    throw new ScreeningUnavailable("bad_signature", "the manifest signature does not verify", { cause });
  }
  let payload: ManifestPayload;
  try {
    payload = ManifestPayloadSchema.parse(JSON.parse(new TextDecoder().decode(signed)));
  } catch (cause) {
    throw new ScreeningUnavailable("bad_manifest", "the signed manifest payload is malformed", { cause });
  }
  if (canonical(payload) !== canonical(file.data.payload)) {
    throw new ScreeningUnavailable("manifest_mismatch", "the readable manifest differs from the signed one");
  }
  return payload;
}

export async function sha256Hex(bytes: ArrayBuffer | Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes instanceof Uint8Array ? bytes.slice() : bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Checks the model bytes against the signed manifest. */
export async function verifyModelBytes(bytes: ArrayBuffer | Uint8Array, payload: ManifestPayload): Promise<void> {
  if (bytes.byteLength !== payload.model.bytes || (await sha256Hex(bytes)) !== payload.model.sha256) {
    throw new ScreeningUnavailable("model_mismatch", `${payload.model.file} does not match the signed manifest`);
  }
}

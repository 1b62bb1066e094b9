/**
 * Why the screening model cannot run. The pipeline maps any ScreeningUnavailable to the tenant's
 * `screening.on_error` (fail closed or open); the reason is for the operator's log only.
 */
export type ScreeningFailure =
  /** MODEL_MANIFEST_PUBLIC_KEY is not set. */
  | "no_public_key"
  /** MODEL_MANIFEST_PUBLIC_KEY is not an Ed25519 public JWK. */
  | "bad_public_key"
  /** manifest.json is not of the expected shape. */
  | "bad_manifest"
  /** The manifest's signature does not verify with the configured key. */
  | "bad_signature"
  /** The readable manifest differs from what was signed. */
  | "manifest_mismatch"
  /** The model file's SHA-256 or size differs from the signed manifest. */
  | "model_mismatch"
  /** The model was trained for another featurizer than the one in this Worker. */
  | "featurizer_mismatch"
  /** onnxruntime failed to start, load the model or run it. */
  | "runtime_error";

export class ScreeningUnavailable extends Error {
  readonly reason: ScreeningFailure;

  constructor(reason: ScreeningFailure, detail: string, options?: { cause?: unknown }) {
    super(`screening unavailable (${reason}): ${detail}`, options);
    this.name = "ScreeningUnavailable";
    this.reason = reason;
  }
}

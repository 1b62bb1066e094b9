import type { Context } from "hono";
import type { DataEnv } from "../context";
import type { Model } from "../config/model";
import { WardenError } from "../errors";
import { anomalyScore } from "../anomaly/reference";
import { flatten, type InferRequest } from "../protocols/oip";
import { recordAudit } from "../audit/record";
import { screenTexts, ScreeningUnavailable, type DirectiveFamily } from "../screen";
import { log } from "../log";

/** What screening found; `verdict` per CONTRACT §5: `flag` only in monitor mode, `block` only in block mode. */
export interface ScreenResult {
  score: number;
  verdict: "pass" | "flag" | "block";
  /** The directive family that raised the score, if one did (for the audit log, never a response). */
  directive?: DirectiveFamily;
}

export interface ScreenOutcome {
  text: ScreenResult | null;
  anomaly: ScreenResult | null;
  /** Response headers that report the outcome. */
  headers: Record<string, string>;
}

export function verdictFor(score: number, mode: "off" | "monitor" | "block", threshold: number): ScreenResult["verdict"] {
  if (score < threshold || mode === "off") return "pass";
  return mode === "block" ? "block" : "flag";
}

const format = (r: ScreenResult, exposeScore = true) => (exposeScore ? `score=${r.score.toFixed(4)}; verdict=${r.verdict}` : `verdict=${r.verdict}`);

/**
 * The screen stage: text the model would read goes to the WASM model; numeric OIP rows are
 * checked against the model's reference statistics. A block is 403 `input_rejected` that never
 * echoes the input, and is written to the audit log (at most once a minute per principal and
 * stage, with the number of blocks not logged since).
 */
export async function screenStage(c: Context<DataEnv>, model: Model, texts: string[], infer: InferRequest | null, operatorTexts?: () => readonly string[]): Promise<ScreenOutcome> {
  const text = await screenText(c, texts, operatorTexts);
  const anomaly = infer ? screenAnomaly(model, infer) : null;
  const headers: Record<string, string> = {};
  if (text) headers["x-warden-screen"] = format(text, c.get("tenant").policy.screening.expose_score);
  if (anomaly) headers["x-warden-anomaly"] = format(anomaly);
  const blocked = text?.verdict === "block" ? "screening" : anomaly?.verdict === "block" ? "anomaly" : null;
  if (blocked) {
    const score = blocked === "screening" ? text!.score : anomaly!.score;
    recordAudit(c.env, c.executionCtx, c.get("tenant").id, {
      type: "block",
      principal: c.get("principal").id,
      reason: `input_rejected: ${blocked} score ${score.toFixed(4)}`,
      detail: { model: model.name, request_id: c.get("requestId"), stage: blocked, score, ...(blocked === "screening" && text!.directive ? { directive: text!.directive } : {}) },
      // A client can send blocked input as fast as its rate limit allows: one entry a minute.
      repeat_key: `input_rejected:${blocked}`,
    });
    throw new WardenError("input_rejected", "The input was rejected by screening.", { headers, reason: `${blocked} score ${score}` });
  }
  return { text, anomaly, headers };
}

async function screenText(c: Context<DataEnv>, texts: string[], operatorTexts?: () => readonly string[]): Promise<ScreenResult | null> {
  const policy = c.get("tenant").policy.screening;
  if (policy.mode === "off" || texts.length === 0) return null;
  const allowed = new Set(policy.allow.map((t) => t.trim()));
  const toScore = allowed.size === 0 ? texts : texts.filter((t) => !allowed.has(t.trim()));
  try {
    // The manifest key as settings parsed it (worker/config/settings.ts), like every other setting.
    const voiced = policy.system_prompts === "operator" && operatorTexts ? operatorTexts() : [];
    const { score, directive } = await screenTexts(toScore, { MODEL_MANIFEST_PUBLIC_KEY: c.get("settings").modelManifestPublicKey }, voiced);
    c.set("screenScore", score);
    return { score, verdict: verdictFor(score, policy.mode, policy.threshold), ...(directive ? { directive } : {}) };
  } catch (err) {
    if (!(err instanceof ScreeningUnavailable)) throw err;
    log("screen.unavailable", { request_id: c.get("requestId"), reason: err.reason, on_error: policy.on_error });
    if (policy.on_error === "open") return null;
    throw new WardenError("not_configured", "Input screening is unavailable, and this tenant refuses unscreened requests.", { reason: err.message });
  }
}

function screenAnomaly(model: Model, req: InferRequest): ScreenResult | null {
  const anomaly = model.anomaly;
  if (!anomaly || anomaly.mode === "off" || !anomaly.reference) return null;
  const ref = anomaly.reference;
  const tensor = req.inputs.find((t) => t.name === ref.input);
  if (!tensor) return null;
  const values = flatten(tensor.data).map(Number);
  const width = ref.mean.length;
  if (width === 0 || values.length % width !== 0) {
    throw new WardenError("invalid_request", `inputs[${ref.input}]: rows must have ${width} features, as the reference data`);
  }
  let worst = 0;
  for (let i = 0; i < values.length; i += width) worst = Math.max(worst, anomalyScore(values.slice(i, i + width), ref));
  return { score: worst, verdict: verdictFor(worst, anomaly.mode, anomaly.threshold) };
}

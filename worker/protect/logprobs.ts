/**
 * OpenAI log-probabilities (CONTRACT §6 `logprobs` and `probabilities`). Top-k logprobs together
 * with `logit_bias` let a client recover a model's final projection layer (Carlini et al.,
 * "Stealing Part of a Production Language Model", 2024), so Warden caps how many alternatives are
 * returned (`max_top_logprobs`, default 5), refuses `logit_bias` unless allowed, and perturbs the
 * values with the model's `probabilities` plan (its `strengthen`ed plan for degraded principals).
 *
 * Shapes handled, whole responses and stream chunks alike:
 * - chat: choices[].logprobs.{content,refusal}[] = {token, logprob, bytes, top_logprobs: [{token, logprob, bytes}]}
 * - Responses API: an output_text part's (or text delta's) logprobs[], the same entries as chat's
 *   (protectTokenLogprobs, called by worker/pipeline/protect-responses.ts)
 * - completions: choices[].logprobs = {tokens, token_logprobs, top_logprobs: [{token: logprob}]}
 * Each position's alternatives plus the rest of the mass (1 − Σ p) form the vector the plan
 * perturbs; values are returned as logprobs again (-9999 for zero, OpenAI's own "negligible").
 * With `noise` (keyed-noise.ts) each position's draws are a keyed function of the prompt and the
 * tokens before it, so asking again cannot average the noise away.
 */
import { WardenError } from "../errors";
import { isObject, type Json } from "../json";
import { MIN_LOG, protectProbabilities, type ProbabilityPlan } from "./probabilities";
import { type Rng, cryptoRng } from "./random";
import type { PositionNoise } from "./keyed-noise";
import { canonicalInput } from "./label-watermark";


/**
 * Clamps the requested number of alternatives: chat `top_logprobs`, completions integer `logprobs`,
 * and vLLM's `prompt_logprobs` (alternatives at each prompt position).
 */
export function clampLogprobsRequest<T extends Json>(body: T, maxTopLogprobs: number): T {
  const out: Json = { ...body };
  if (typeof out.top_logprobs === "number" && out.top_logprobs > maxTopLogprobs) out.top_logprobs = maxTopLogprobs;
  if (typeof out.logprobs === "number" && out.logprobs > maxTopLogprobs) out.logprobs = maxTopLogprobs;
  if (typeof out.prompt_logprobs === "number" && out.prompt_logprobs > maxTopLogprobs) out.prompt_logprobs = maxTopLogprobs;
  return out as T;
}

/**
 * Throws 400 for a request that biases logits when the model does not allow it. `null` and an
 * empty map change nothing and pass.
 */
export function assertLogitBiasAllowed(body: Json, allow: boolean): void {
  if (allow) return;
  const bias = body.logit_bias;
  if (bias === undefined || bias === null) return;
  if (isObject(bias) && Object.keys(bias).length === 0) return;
  throw new WardenError("invalid_request", "logit_bias is not allowed for this model.", {
    extensions: { errors: [{ path: "logit_bias", message: "not allowed" }] },
    reason: "logit_bias refused by protection.logprobs.allow_logit_bias=false",
  });
}

export interface LogprobsOptions {
  maxTopLogprobs: number;
  plan: ProbabilityPlan;
  /** Keyed, repeatable draws per position (production); without it, `rng` or the crypto RNG. */
  noise?: PositionNoise;
  rng?: Rng;
}

/** Request fields that decide what the model's next-token distributions are (not how they are sampled). */
const PROMPT_FIELDS = [
  "messages", "prompt", "suffix", "tools", "functions", "tool_choice", "function_call", "response_format", "echo",
  // The Responses API's: its prompt also holds stored state named by id, a different question per id.
  "input", "instructions", "text", "previous_response_id", "conversation",
] as const;

/** A digest of what was asked, for `PositionNoise`: sampling settings (seed, n, temperature…) left out on purpose. */
export async function promptDigest(body: Json | null): Promise<string> {
  const asked = Object.fromEntries(PROMPT_FIELDS.filter((f) => body && f in body).map((f) => [f, body![f]]));
  const bytes = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(canonicalInput(asked)));
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Generators for one position: its alternatives, and the sampled token when it is not among them. */
type Draws = (sequence: string, token: unknown) => Promise<{ rng: Rng; chosen: () => Promise<Rng> }>;

const toLog = (p: number): number => (p > 0 ? Math.max(Math.log(p), MIN_LOG) : MIN_LOG);

/**
 * Perturbs one position: `alternatives` (already capped) plus the rest of the mass form one vector,
 * so their noise does not depend on which token happened to be sampled; a sampled token outside the
 * alternatives is perturbed on its own (as [p, 1 − p], at most the perturbed rest). Returns the new
 * logprob of each alternative and of the chosen token.
 */
async function perturb(
  alternatives: number[],
  chosen: number | null,
  chosenIndex: number,
  plan: ProbabilityPlan,
  draws: { rng: Rng; chosen: () => Promise<Rng> },
): Promise<{ alternatives: number[]; chosen: number | null }> {
  const probs = alternatives.map(Math.exp);
  const rest = Math.max(0, 1 - probs.reduce((a, b) => a + b, 0));
  const q = protectProbabilities([...probs, rest], plan, draws.rng);
  const logs = q.slice(0, alternatives.length).map(toLog);
  if (chosen === null) return { alternatives: logs, chosen: null };
  if (chosenIndex >= 0) return { alternatives: logs, chosen: logs[chosenIndex] as number };
  const pc = Math.exp(chosen);
  const qc = protectProbabilities([pc, 1 - pc], plan, await draws.chosen())[0] as number;
  return { alternatives: logs, chosen: toLog(Math.min(qc, q[alternatives.length] as number)) };
}

async function protectChatEntries(entries: unknown, options: LogprobsOptions, sequence: string, draws: Draws): Promise<void> {
  if (!Array.isArray(entries)) return;
  for (const entry of entries) {
    if (!isObject(entry)) continue;
    let tops = Array.isArray(entry.top_logprobs) ? entry.top_logprobs.filter(isObject) : [];
    tops = tops
      .filter((t) => typeof t.logprob === "number")
      .sort((a, b) => (b.logprob as number) - (a.logprob as number))
      .slice(0, options.maxTopLogprobs);
    if (Array.isArray(entry.top_logprobs)) entry.top_logprobs = tops;
    if (options.plan.steps.length === 0) continue;
    const chosen = typeof entry.logprob === "number" ? entry.logprob : null;
    const index = tops.findIndex((t) => t.token === entry.token);
    const r = await perturb(tops.map((t) => t.logprob as number), chosen, index, options.plan, await draws(sequence, entry.token));
    tops.forEach((t, i) => (t.logprob = r.alternatives[i]));
    tops.sort((a, b) => (b.logprob as number) - (a.logprob as number));
    if (r.chosen !== null) entry.logprob = r.chosen;
  }
}

async function protectCompletionLogprobs(lp: Json, options: LogprobsOptions, sequence: string, draws: Draws): Promise<void> {
  if (!Array.isArray(lp.top_logprobs)) return;
  const tokens = Array.isArray(lp.tokens) ? lp.tokens : [];
  const chosenLogs = Array.isArray(lp.token_logprobs) ? lp.token_logprobs : [];
  const out: unknown[] = [];
  for (const [position, tops] of (lp.top_logprobs as unknown[]).entries()) out.push(await protectCompletionPosition(tops, position));
  lp.top_logprobs = out;

  async function protectCompletionPosition(tops: unknown, position: number): Promise<unknown> {
    if (!isObject(tops)) return tops;
    const capped = Object.entries(tops)
      .filter((e): e is [string, number] => typeof e[1] === "number")
      .sort((a, b) => b[1] - a[1])
      .slice(0, options.maxTopLogprobs);
    if (options.plan.steps.length === 0) return Object.fromEntries(capped);
    const token = tokens[position];
    const chosen = typeof chosenLogs[position] === "number" ? (chosenLogs[position] as number) : null;
    const index = capped.findIndex(([t]) => t === token);
    const r = await perturb(capped.map(([, v]) => v), chosen, index, options.plan, await draws(sequence, token));
    if (r.chosen !== null) chosenLogs[position] = r.chosen;
    return Object.fromEntries(capped.map(([t], i) => [t, r.alternatives[i] as number] as const).sort((a, b) => b[1] - a[1]));
  }
}

/** The draws of `options`: keyed per position when it has `noise`, else its (or the crypto) RNG. */
function drawsOf(options: LogprobsOptions): Draws {
  const fallback = options.rng ?? cryptoRng();
  const noise = options.noise;
  return noise
    ? (sequence, token) => noise.next(sequence, typeof token === "string" ? token : JSON.stringify(token ?? null))
    : async () => ({ rng: fallback, chosen: async () => fallback });
}

/**
 * A protected copy of a list of token entries in chat's shape (`{token, logprob, top_logprobs}`),
 * as the Responses API returns them: capped, and perturbed position by position as chat's are.
 * `sequence` names the list (e.g. "0:0" for output 0, part 0); `options.noise` carries the positions
 * already seen in it, so a stream's deltas and the full list repeated in its done events get the
 * same noise when each full list is given a fresh `PositionNoise`. Anything but a list comes back as it is.
 */
export async function protectTokenLogprobs(entries: unknown, options: LogprobsOptions, sequence: string): Promise<unknown> {
  if (!Array.isArray(entries)) return entries;
  const out = structuredClone(entries);
  await protectChatEntries(out, options, sequence, drawsOf(options));
  return out;
}

/** A protected copy of a chat/completions response or stream chunk; other bodies come back as they are. */
export async function protectLogprobsResponse<T>(body: T, options: LogprobsOptions): Promise<T> {
  if (!isObject(body) || !Array.isArray(body.choices)) return body;
  const out = structuredClone(body) as Json;
  const draws = drawsOf(options);
  for (const [i, choice] of (out.choices as unknown[]).entries()) {
    if (!isObject(choice) || !isObject(choice.logprobs)) continue;
    const lp = choice.logprobs;
    const index = typeof choice.index === "number" ? choice.index : i;
    if ("content" in lp || "refusal" in lp) {
      await protectChatEntries(lp.content, options, `${index}:content`, draws);
      await protectChatEntries(lp.refusal, options, `${index}:refusal`, draws);
    } else await protectCompletionLogprobs(lp, options, `${index}:text`, draws);
  }
  return out as T;
}

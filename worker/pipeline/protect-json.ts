import type { Model } from "../config/model";
import type { InferRequest } from "../protocols/oip";
import { flatten } from "../protocols/oip";
import { protectLogprobsResponse } from "../protect/logprobs";
import { planFor, protectTensor, tensorWidth } from "../protect/probabilities";
import { rowsPlan } from "../extraction/decoy";
import { decodeEmbedding, protectEmbeddingValue } from "../protect/embedding-watermark";
import { watermarkScores } from "../protect/label-watermark";
import { tensorRows, type TensorRows } from "./infer-rows";
import { createTextMarker } from "../protect/text-watermark";
import type { WatermarkRecord } from "../../durable-objects/tenant";
import type { ProtectionKeys } from "./protection-keys";
import type { RouteSpec } from "./route";
import { WardenError } from "../errors";
import { isObject } from "../json";
import { outputMargins } from "../extraction/features";
import { embeddingQuestion, inferRowNoise } from "./output-noise";
import { cryptoRng, seededRng } from "../protect/random";
import type { ResponseGuard } from "../guard/session";

type Json = Record<string, unknown>;

export interface JsonProtectionContext {
  model: Model;
  request: Json | null;
  /** The OIP inference request, typed, for `infer` answers (the route's `anomalyRows` hook); null on other routes. */
  infer: InferRequest | null;
  principal: string;
  /** Extraction score over `degrade_at`: stronger protection, not announced. */
  degraded: boolean;
  keys: ProtectionKeys;
  /** Collects label-watermark records to store after the answer. */
  records: WatermarkRecord[];
  /** Collects the origin's top-two margins per row (boundary probing), before any protection. */
  margins: number[];
  /** The output guard of this answer, when the model's policy has one (worker/guard/). */
  guard: ResponseGuard | null;
}

/** An OIP model whose outputs Warden rounds, perturbs, watermarks or measures (boundary probing). */
export function inferOutputsProtected(model: Model): boolean {
  const p = model.protection;
  const scored = (model.outputs ?? []).some((o) => o.kind === "probabilities" || o.kind === "logits");
  return scored || (p.probabilities !== undefined && p.probabilities.mode !== "none") || p.label_watermark !== undefined;
}

/**
 * Applies the model's output protection to a whole JSON answer (CONTRACT §6): the output guard
 * first (the watermark then marks the text the client gets), then the route's own protection
 * (its `protectAnswer` hook; none: the answer is not changed). Returns a new object.
 */
export async function protectJson(json: Json, ctx: JsonProtectionContext, protectAnswer: RouteSpec["protectAnswer"]): Promise<Json> {
  if (ctx.guard) json = ctx.guard.json(json);
  return protectAnswer ? protectAnswer(json, ctx) : json;
}

/** A chat or completions answer: prompt logprobs capped, logprobs capped and perturbed, choices watermarked. */
export async function protectChatJson(json: Json, ctx: JsonProtectionContext): Promise<Json> {
  const p = ctx.model.protection;
  const plan = planFor(p.probabilities, ctx.degraded);
  json = capPromptLogprobs(json, p.logprobs.max_top_logprobs, plan.steps.length > 0);
  // Most answers carry no logprobs: then there is nothing to cap or perturb, and no deep copy to make.
  const logprobs = Array.isArray(json.choices) && json.choices.some((c: unknown) => isObject(c) && isObject(c.logprobs));
  let out = logprobs
    ? await protectLogprobsResponse(json, { maxTopLogprobs: p.logprobs.max_top_logprobs, plan, ...(plan.steps.length ? { noise: await ctx.keys.positionNoise(ctx.request) } : {}) })
    : json;
  if (p.text_watermark) out = await markChoices(out, ctx);
  return out;
}

/**
 * vLLM's prompt log-probabilities (chat: top-level `prompt_logprobs`; completions: per choice), a
 * list per prompt position of `{token_id: {logprob, rank, decoded_token}}`: the prompt's own token
 * plus the top alternatives. Capped to `max` alternatives (ranks 1..max), plus the prompt token
 * when the origin kept to the cap, whatever the origin returned; removed where log-probabilities are perturbed, since the values
 * could not be perturbed consistently with the answer's own.
 */
export function capPromptLogprobs(json: Json, max: number, perturbed: boolean): Json {
  const cap = (positions: unknown): unknown => {
    if (!Array.isArray(positions)) return positions;
    if (perturbed) return null;
    return positions.map((pos) => {
      if (!isObject(pos)) return pos;
      const ranked = Object.entries(pos).map(([token, v]) => ({ token, v, rank: isObject(v) && typeof v.rank === "number" ? v.rank : Infinity }));
      ranked.sort((a, b) => a.rank - b.rank);
      const top = ranked.filter((e) => e.rank <= max).slice(0, max);
      // The prompt token is the one entry past the cap, if the origin kept to the cap; from an
      // origin that did not, no entry past the top `max` can be told from an extra alternative.
      const prompt = ranked.length <= max + 1 ? ranked.find((e) => e.rank > max) : undefined;
      return Object.fromEntries([...top, ...(prompt ? [prompt] : [])].map((e) => [e.token, e.v]));
    });
  };
  const out: Json = "prompt_logprobs" in json ? { ...json, prompt_logprobs: cap(json.prompt_logprobs) } : { ...json };
  if (Array.isArray(out.choices)) {
    out.choices = out.choices.map((c: unknown) => (isObject(c) && "prompt_logprobs" in c ? { ...c, prompt_logprobs: cap(c.prompt_logprobs) } : c));
  }
  return out;
}

async function markChoices(json: Json, ctx: JsonProtectionContext): Promise<Json> {
  const choices = json.choices;
  if (!Array.isArray(choices)) return json;
  const key = await ctx.keys.text();
  const marked = await Promise.all(
    choices.map(async (choice: unknown) => {
      if (!isObject(choice)) return choice;
      const marker = await createTextMarker(key, ctx.principal, Date.now());
      const message = choice.message;
      if (isObject(message) && typeof message.content === "string") return { ...choice, message: { ...message, content: await marker.push(message.content) } };
      if (typeof choice.text === "string") return { ...choice, text: await marker.push(choice.text) };
      return choice;
    }),
  );
  return { ...json, choices: marked };
}

/** An embeddings answer of a model with embedding protection: noise, and the watermark direction. */
export async function protectEmbeddings(json: Json, ctx: JsonProtectionContext): Promise<Json> {
  const setting = ctx.model.protection.embeddings;
  const data = json.data;
  if (!setting || !Array.isArray(data)) return json;
  // Degraded principals get four times the noise: their copies get worse; nobody is told.
  const noiseRatio = setting.noise_ratio * (ctx.degraded ? 4 : 1);
  const seeds = await ctx.keys.noiseSeeds();
  const out = await Promise.all(
    data.map(async (item: unknown, position: number) => {
      if (!isObject(item)) return item;
      const value = item.embedding;
      if (!(typeof value === "string" || Array.isArray(value))) return item;
      let dim: number;
      try {
        dim = decodeEmbedding(value).length;
      } catch {
        throw new WardenError("origin_error", "The model returned a malformed embedding.", { reason: "undecodable base64 embedding from origin" });
      }
      const direction = setting.watermark && dim > 0 ? await ctx.keys.embeddingDirection(dim) : null;
      const rng = seededRng(await seeds.seed(embeddingQuestion(ctx.request, typeof item.index === "number" ? item.index : position, dim)));
      return { ...item, embedding: protectEmbeddingValue(value, { noiseRatio, direction, rng }) };
    }),
  );
  return { ...json, data: out };
}

/** An OIP inference answer: scored outputs measured, label-watermarked, rounded and perturbed. */
export async function protectInfer(json: Json, ctx: JsonProtectionContext): Promise<Json> {
  const outputs: unknown[] | null = Array.isArray(json.outputs) ? json.outputs : null;
  const declared = ctx.model.outputs ?? [];
  if (!outputs) return json;
  const p = ctx.model.protection;
  const plan = planFor(p.probabilities, ctx.degraded);
  // One input row per batch item: the first input tensor, split along its first dimension.
  const first = ctx.infer?.inputs[0];
  const rows = first ? tensorRows(first) : null;
  const out: unknown[] = [];
  // The origin's outputs: only an object named as a declared scored output is read (and must be a numeric tensor).
  for (const tensor of outputs) {
    const spec = isObject(tensor) ? declared.find((d) => d.name === tensor.name) : undefined;
    const kind = spec?.kind;
    if (!isObject(tensor) || !spec || (kind !== "probabilities" && kind !== "logits")) {
      out.push(tensor);
      continue;
    }
    const { shape, values } = scoredValues(tensor);
    let data = values;
    ctx.margins.push(...outputMargins(data, shape, kind));
    if (p.label_watermark && rows) data = await watermarkRows(data, shape, rows, p.label_watermark.rate, ctx);
    const rowRng = plan.steps.length ? await inferRowNoise(await ctx.keys.noiseSeeds(), ctx.infer, spec.name, data, shape) : cryptoRng;
    const plans = ctx.degraded ? rowsPlan(plan, true, ctx.infer, ctx.model.inputs, data.length / tensorWidth(data, shape)) : plan;
    out.push({ ...tensor, data: protectTensor(data, shape, kind, plans, rowRng) });
  }
  return { ...json, outputs: out };
}

/**
 * A scored output as numbers. Anything else — data left out (binary tensors), strings
 * (Triton's classification extension), a shape that does not fit — would pass unprotected:
 * the answer is refused as the origin's error instead.
 */
function scoredValues(tensor: Json): { shape: number[]; values: number[] } {
  const shape: unknown = tensor.shape;
  const values = Array.isArray(tensor.data) ? flatten(tensor.data) : null;
  if (Array.isArray(shape) && allOf(shape, isDimension) && values !== null && shape.reduce((a, b) => a * b, 1) === values.length && allOf(values, isFiniteNumber)) {
    return { shape, values };
  }
  throw new WardenError("origin_error", "The model's origin sent an output Warden cannot read.", { reason: `scored output ${String(tensor.name)} is not a numeric tensor` });
}

const isDimension = (d: unknown): d is number => typeof d === "number" && Number.isInteger(d) && d >= 0;
const isFiniteNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const allOf = <T>(list: unknown[], ok: (v: unknown) => v is T): list is T[] => list.every(ok);

async function watermarkRows(data: number[], shape: number[], rows: TensorRows, rate: number, ctx: JsonProtectionContext): Promise<number[]> {
  const width = shape[shape.length - 1] ?? 0;
  if (width < 2 || data.length !== rows.rows.length * width) return data;
  const key = await ctx.keys.label();
  const out: number[] = [];
  for (let i = 0; i < rows.rows.length; i++) {
    const result = await watermarkScores(key, rows.rows[i], data.slice(i * width, (i + 1) * width), rate, rows.canonical(i));
    if (result.selected) ctx.records.push({ model: ctx.model.name, principal: ctx.principal, input: rows.canonical(i), label: result.label });
    out.push(...result.scores);
  }
  return out;
}

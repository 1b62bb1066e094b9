import type { Model } from "../config/model";
import type { InferRequest, InferTensor } from "../protocols/oip";
import { flatten } from "../protocols/oip";
import { protectLogprobsResponse } from "../protect/logprobs";
import { planFor, protectTensor } from "../protect/probabilities";
import { decodeEmbedding, protectEmbeddingValue } from "../protect/embedding-watermark";
import { canonicalInput, watermarkScores } from "../protect/label-watermark";
import { createTextMarker } from "../protect/text-watermark";
import type { WatermarkRecord } from "../../durable-objects/tenant";
import type { ProtectionKeys } from "./protection-keys";
import type { RouteSpec } from "./run";
import { WardenError } from "../errors";
import { outputMargins } from "../extraction/features";
import { embeddingQuestion, inferRowNoise } from "./output-noise";
import { cryptoRng, seededRng } from "../protect/random";

type Json = Record<string, unknown>;

export interface JsonProtectionContext {
  kind: RouteSpec["kind"];
  model: Model;
  request: Json | null;
  principal: string;
  /** Extraction score over `degrade_at`: stronger protection, not announced. */
  degraded: boolean;
  keys: ProtectionKeys;
  /** Collects label-watermark records to store after the answer. */
  records: WatermarkRecord[];
  /** Collects the origin's top-two margins per row (boundary probing), before any protection. */
  margins: number[];
}

/** Applies the model's output protection to a whole JSON answer (CONTRACT §6). Returns a new object. */
export async function protectJson(json: Json, ctx: JsonProtectionContext): Promise<Json> {
  const p = ctx.model.protection;
  switch (ctx.kind) {
    case "chat":
    case "completion": {
      const plan = planFor(p.probabilities, ctx.degraded);
      let out = await protectLogprobsResponse(json, { maxTopLogprobs: p.logprobs.max_top_logprobs, plan, ...(plan.steps.length ? { noise: await ctx.keys.positionNoise(ctx.request) } : {}) });
      if (p.text_watermark) out = await markChoices(out, ctx);
      return out;
    }
    case "embedding":
      return p.embeddings ? protectEmbeddings(json, ctx) : json;
    case "infer":
      return protectInfer(json, ctx);
    default:
      return json;
  }
}

async function markChoices(json: Json, ctx: JsonProtectionContext): Promise<Json> {
  const choices = json.choices;
  if (!Array.isArray(choices)) return json;
  const key = await ctx.keys.text();
  const marked = await Promise.all(
    choices.map(async (choice: Json) => {
      const marker = await createTextMarker(key, ctx.principal, Date.now());
      const message = choice.message as Json | undefined;
      if (message && typeof message.content === "string") return { ...choice, message: { ...message, content: await marker.push(message.content) } };
      if (typeof choice.text === "string") return { ...choice, text: await marker.push(choice.text) };
      return choice;
    }),
  );
  return { ...json, choices: marked };
}

async function protectEmbeddings(json: Json, ctx: JsonProtectionContext): Promise<Json> {
  const setting = ctx.model.protection.embeddings!;
  const data = json.data;
  if (!Array.isArray(data)) return json;
  // Degraded principals get four times the noise: their copies get worse; nobody is told.
  const noiseRatio = setting.noise_ratio * (ctx.degraded ? 4 : 1);
  const seeds = await ctx.keys.noiseSeeds();
  const out = await Promise.all(
    data.map(async (item: Json, position: number) => {
      const value = item.embedding;
      if (!(typeof value === "string" || Array.isArray(value))) return item;
      let dim: number;
      try {
        dim = decodeEmbedding(value as number[] | string).length;
      } catch {
        throw new WardenError("origin_error", "The model returned a malformed embedding.", { reason: "undecodable base64 embedding from origin" });
      }
      const direction = setting.watermark && dim > 0 ? await ctx.keys.embeddingDirection(dim) : null;
      const rng = seededRng(await seeds.seed(embeddingQuestion(ctx.request, typeof item.index === "number" ? item.index : position, dim)));
      return { ...item, embedding: protectEmbeddingValue(value as number[] | string, { noiseRatio, direction, rng }) };
    }),
  );
  return { ...json, data: out };
}

async function protectInfer(json: Json, ctx: JsonProtectionContext): Promise<Json> {
  const outputs = json.outputs;
  const declared = ctx.model.outputs ?? [];
  if (!Array.isArray(outputs)) return json;
  const p = ctx.model.protection;
  const plan = planFor(p.probabilities, ctx.degraded);
  const rows = inputRows(ctx.request as InferRequest | null);
  const out = [];
  for (const tensor of outputs as InferTensor[]) {
    const kind = declared.find((d) => d.name === tensor?.name)?.kind;
    if ((kind !== "probabilities" && kind !== "logits") || !Array.isArray(tensor.data) || !Array.isArray(tensor.shape)) {
      out.push(tensor);
      continue;
    }
    let data = (flatten(tensor.data) as unknown[]).map(Number);
    ctx.margins.push(...outputMargins(data, tensor.shape, kind));
    if (p.label_watermark && rows) data = await watermarkRows(data, tensor.shape, rows, p.label_watermark.rate, ctx);
    const rowRng = plan.steps.length ? await inferRowNoise(await ctx.keys.noiseSeeds(), ctx.request as InferRequest | null, tensor.name, data, tensor.shape) : cryptoRng;
    out.push({ ...tensor, data: protectTensor(data, tensor.shape, kind, plan, rowRng) });
  }
  return { ...json, outputs: out };
}

/** One input row per batch item: the first input tensor, split along its first dimension. */
function inputRows(req: InferRequest | null): unknown[][] | null {
  const first = req?.inputs[0];
  if (!first || first.shape.length === 0) return null;
  const values = flatten(first.data);
  const batch = first.shape[0]!;
  if (batch <= 0 || values.length % batch !== 0) return null;
  const width = values.length / batch;
  return Array.from({ length: batch }, (_, i) => values.slice(i * width, (i + 1) * width));
}

async function watermarkRows(data: number[], shape: number[], rows: unknown[][], rate: number, ctx: JsonProtectionContext): Promise<number[]> {
  const width = shape[shape.length - 1] ?? 0;
  if (width < 2 || data.length !== rows.length * width) return data;
  const key = await ctx.keys.label();
  const out: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    const result = await watermarkScores(key, rows[i], data.slice(i * width, (i + 1) * width), rate);
    if (result.selected) ctx.records.push({ model: ctx.model.name, principal: ctx.principal, input: canonicalInput(rows[i]), label: result.label });
    out.push(...result.scores);
  }
  return out;
}

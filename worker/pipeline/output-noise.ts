import type { InferRequest } from "../protocols/oip";
import { canonicalInput } from "../protect/label-watermark";
import { tensorRows, type TensorRows } from "./infer-rows";
import { NoiseSeeds } from "../protect/keyed-noise";
import { tensorWidth } from "../protect/probabilities";
import { type Rng, seededRng } from "../protect/random";

/**
 * The question behind each batch item of an OIP request: every input tensor's slice of that item,
 * by tensor name, in canonical form. Null when the inputs do not share one batch dimension.
 */
export function batchQuestions(req: InferRequest | null): string[] | null {
  const inputs = req?.inputs;
  const batch = inputs?.[0]?.shape[0];
  if (!inputs || batch === undefined || batch <= 0) return null;
  const slices: Array<[string, TensorRows]> = [];
  for (const t of [...inputs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const rows = t.shape[0] === batch ? tensorRows(t) : null;
    if (!rows) return null;
    slices.push([JSON.stringify(t.name), rows]);
  }
  // canonicalInput([[name, row], …]) written out from the rows' own canonical forms (a string is its own canonical value).
  return Array.from({ length: batch }, (_, i) => `[${slices.map(([name, rows]) => `[${name},${rows.canonical(i)}]`).join(",")}]`);
}

/**
 * Keyed generators for the rows of one output tensor (protectTensor's `rowRng`): row r answers
 * batch item ⌊r / rows-per-item⌋, so copies of an input row — in one batch or across requests —
 * draw the same noise. Outputs that do not split by batch item fall back to the whole request and
 * the row index as the question: still repeatable, only not shared between batch items.
 */
export async function inferRowNoise(
  seeds: NoiseSeeds,
  req: InferRequest | null,
  output: string,
  data: readonly unknown[],
  shape: readonly number[],
): Promise<(row: number) => Rng> {
  const rows = data.length / tensorWidth(data, shape);
  const items = batchQuestions(req);
  const perItem = items && rows % items.length === 0 ? rows / items.length : 0;
  const whole = perItem ? "" : canonicalInput(req?.inputs ?? null);
  const question = (r: number): string =>
    perItem ? JSON.stringify(["oip", output, r % perItem, items![Math.floor(r / perItem)]]) : JSON.stringify(["oip-request", output, r, whole]);
  const bytes = await Promise.all(Array.from({ length: rows }, (_, r) => seeds.seed(question(r))));
  return (r) => seededRng(bytes[r]!);
}

/**
 * The question behind embedding `index` of an OpenAI embeddings request: its input (a text or
 * token ids), and the dimension, which shapes the noise vector. An item that cannot be matched to
 * an input falls back to the whole input list and the index.
 */
export function embeddingQuestion(request: Record<string, unknown> | null, index: number, dim: number): string {
  const input = request?.input;
  const items = typeof input === "string" || (Array.isArray(input) && input.every((x) => typeof x === "number")) ? [input] : Array.isArray(input) ? input : [];
  return index >= 0 && index < items.length
    ? JSON.stringify(["embedding", dim, canonicalInput(items[index])])
    : JSON.stringify(["embedding-request", dim, index, canonicalInput(input ?? null)]);
}

/**
 * DAWN-style label watermark (Szyller et al., "DAWN: Dynamic Adversarial Watermarking of Neural
 * Networks", 2021). For a keyed fraction `rate` of inputs Warden answers a keyed wrong label. A
 * surrogate trained on the answers learns those wrong labels; a model trained independently
 * agrees with them only by chance. The key is per (tenant, model, principal), so the wrong labels
 * also name the account the copy was made through.
 *
 * Selection and substitute come from HMAC-SHA256(key, canonical input): the same input always gets
 * the same answer (asking twice reveals nothing), and without the key the selected inputs cannot be
 * told apart. Warden keeps a record {principal, input, label} of every watermarked answer; to prove
 * theft the operator puts the recorded inputs to the suspect model and calls `verifyLabels`.
 *
 * Limits: a client that asks nearly-equal inputs (differing beyond the 6 significant digits kept
 * by `canonicalInput`) gets independent selections and can spot watermarked answers by comparing
 * them, at twice the query cost. With 2 classes the substitute is simply "not the top class", and
 * the chance bound 1/(classes − 1) is 1: pass a measured `nullRate` for binary models.
 */
import { bonferroni, binomialTail, ATTRIBUTION_ALPHA, NOT_ATTRIBUTED, type Attribution } from "./stats";
import { PURPOSE, deriveHmacKey, hmac, unitInterval } from "./keys";
import { argmax, promote } from "./probabilities";

export interface LabelWatermarkRecord {
  principal: string;
  input: unknown;
  label: number;
}

export interface LabelDecision {
  selected: boolean;
  /** The label to answer: the substitute when selected, else the model's top class. */
  label: number;
}

export function labelWatermarkKey(master: Uint8Array, tenant: string, model: string, principal: string): Promise<CryptoKey> {
  return deriveHmacKey(master, PURPOSE.labelWatermark, [tenant, model, principal]);
}

function canonicalValue(value: unknown): unknown {
  if (typeof value === "number") {
    // Integers of up to 6 digits are their own 6-digit rounding (-0 is 0): no string round trip.
    if (Number.isInteger(value) && value > -1e6 && value < 1e6) return value === 0 ? 0 : value;
    if (!Number.isFinite(value)) return String(value);
    const rounded = Number(value.toPrecision(6));
    return rounded === 0 ? 0 : rounded; // -0 and 0 are one input
  }
  if (Array.isArray(value)) return value.map(canonicalValue);
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, canonicalValue(v)]));
  }
  return value;
}

/**
 * The canonical form of one input (for OIP: one row of features as a flat array): numbers kept to
 * 6 significant digits, so a float32 and a float64 spelling of the same value agree, object keys
 * sorted, then JSON.
 */
export function canonicalInput(input: unknown): string {
  return JSON.stringify(canonicalValue(input)) ?? "null";
}

/** `canonical` is canonicalInput(input), when the caller already has it. */
export async function decideLabel(key: CryptoKey, input: unknown, classes: number, top: number, rate: number, canonical?: string): Promise<LabelDecision> {
  if (classes < 2 || rate <= 0) return { selected: false, label: top };
  const mac = await hmac(key, canonical ?? canonicalInput(input));
  if (unitInterval(mac, 0) >= rate) return { selected: false, label: top };
  // Uniform over the classes other than the top one.
  const pick = Math.floor(unitInterval(mac, 6) * (classes - 1));
  return { selected: true, label: pick >= top ? pick + 1 : pick };
}

/**
 * Applies the watermark to one row of class scores (probabilities or logits): when selected, the
 * substitute becomes the arg-max by swapping its score with the top one. Apply it before noise, so
 * keep_top1 then preserves the substitute.
 */
export async function watermarkScores(
  key: CryptoKey,
  input: unknown,
  scores: readonly number[],
  rate: number,
  canonical?: string,
): Promise<{ scores: number[]; selected: boolean; label: number }> {
  const top = argmax(scores);
  const decision = await decideLabel(key, input, scores.length, top, rate, canonical);
  if (!decision.selected) return { scores: scores.slice(), ...decision };
  return { scores: promote(scores, decision.label), ...decision };
}

export interface LabelVerifyOptions {
  /** Number of classes of the model; a key-independent model matches a substitute with chance ≤ 1/(classes − 1). */
  classes: number;
  /** Overrides that chance bound, e.g. a measured disagreement rate for a binary model. */
  nullRate?: number;
  alpha?: number;
}

/**
 * Attributes a suspect model's answers on recorded inputs to the principal whose watermark labels
 * they repeat. Per principal: trials = distinct answered inputs recorded for it, matches = answers
 * equal to the recorded label; p = P[Binomial(trials, p0) ≥ matches] (the substitutes are
 * independent across inputs, so this bounds any key-independent model), Bonferroni-corrected over
 * the principals tried. Repeated inputs count once: a copy of one answer is not new evidence.
 */
export function verifyLabels(
  answers: ReadonlyArray<{ input: unknown; label: number }>,
  records: readonly LabelWatermarkRecord[],
  options: LabelVerifyOptions,
): Attribution {
  const p0 = Math.min(1, options.nullRate ?? 1 / Math.max(1, options.classes - 1));
  const answered = new Map<string, number>();
  for (const a of answers) {
    const c = canonicalInput(a.input);
    if (!answered.has(c)) answered.set(c, a.label);
  }
  const tally = new Map<string, { seen: Set<string>; matches: number }>();
  for (const r of records) {
    const c = canonicalInput(r.input);
    const label = answered.get(c);
    if (label === undefined) continue;
    const t = tally.get(r.principal) ?? { seen: new Set<string>(), matches: 0 };
    tally.set(r.principal, t);
    if (t.seen.has(c)) continue;
    t.seen.add(c);
    if (label === r.label) t.matches++;
  }
  let best: Attribution = NOT_ATTRIBUTED;
  let bestP = 1;
  for (const [principal, t] of tally) {
    const p = binomialTail(t.matches, t.seen.size, p0);
    if (best.principal === null || p < bestP) {
      bestP = p;
      best = { attributed: false, principal, day: null, p_value: p, matches: t.matches, trials: t.seen.size };
    }
  }
  if (best.principal === null) return NOT_ATTRIBUTED;
  const p_value = bonferroni(bestP, tally.size);
  const attributed = p_value < (options.alpha ?? ATTRIBUTION_ALPHA) && best.matches > 0;
  return { ...best, p_value, attributed, principal: attributed ? best.principal : null };
}

import { isObject, type Json } from "../json";
import type { GuardDialect } from "./dialect";
import type { InputGuardPolicy } from "./policy";
import type { Category, Detector } from "./detectors/types";
import { SECRET_DETECTORS } from "./detectors/secrets";
import { piiDetectors } from "./detectors/pii";
import { redact } from "./scan";
import { countKey, settle, type GuardCounts } from "./guard";

/**
 * `input_guard`: personal data and secrets in the prompt replaced by `[REDACTED:<detector>]`
 * before the request reaches the origin (`monitor` counts only). Every text a model would read:
 * chat message contents of every role, completion prompts, Responses `instructions` and input
 * items, Messages `system`, message blocks and tool results. A detector that throws leaves the text
 * as it is (masking is a courtesy to the origin, not a gate: screening is the gate).
 */
export function guardInput(dialect: GuardDialect | undefined, body: Json, policy: InputGuardPolicy): { body: Json; counts: GuardCounts } {
  const counts: GuardCounts = new Map();
  const detectors = [...SECRET_DETECTORS, ...piiDetectors(policy.phone_regions)].filter((d) => policy[d.category as "secrets" | "pii"] !== "off");
  if (detectors.length === 0 || !dialect) return { body, counts };
  const order = detectors.map((d) => d.name);
  const t = (text: string): string => mask(text, detectors, order, policy, counts);
  const out: Json = { ...body };
  dialect.maskInput(body, out, t);
  return { body: out, counts };
}

type Mask = (text: string) => string;

/* Each dialect's texts a model reads (worker/guard/dialect.ts), masked into `out`, a copy of `body`. */

export function maskChatInput(body: Json, out: Json, t: Mask): void {
  if (Array.isArray(body.messages)) out.messages = body.messages.map((m: unknown) => (isObject(m) ? { ...m, content: content(m.content, t) } : m));
}

export function maskCompletionInput(body: Json, out: Json, t: Mask): void {
  out.prompt = typeof body.prompt === "string" ? t(body.prompt) : Array.isArray(body.prompt) ? body.prompt.map((p: unknown) => (typeof p === "string" ? t(p) : p)) : body.prompt;
}

export function maskResponsesInput(body: Json, out: Json, t: Mask): void {
  if (typeof body.instructions === "string") out.instructions = t(body.instructions);
  out.input = typeof body.input === "string" ? t(body.input) : Array.isArray(body.input) ? body.input.map((i: unknown) => (isObject(i) ? { ...i, content: content(i.content, t), ...(typeof i.output === "string" ? { output: t(i.output) } : {}) } : i)) : body.input;
}

export function maskMessagesInput(body: Json, out: Json, t: Mask): void {
  out.system = content(body.system, t);
  if (Array.isArray(body.messages)) out.messages = body.messages.map((m: unknown) => (isObject(m) ? { ...m, content: content(m.content, t) } : m));
}

/** A content value: a string, or parts/blocks with `text` (tool results nest their own content). */
function content(v: unknown, t: (s: string) => string): unknown {
  if (typeof v === "string") return t(v);
  if (!Array.isArray(v)) return v;
  return v.map((part: unknown) => {
    if (!isObject(part)) return part;
    const p: Json = { ...part };
    if (typeof p.text === "string") p.text = t(p.text);
    if (p.content !== undefined) p.content = content(p.content, t);
    return p;
  });
}

function mask(text: string, detectors: Detector[], order: string[], policy: InputGuardPolicy, counts: GuardCounts): string {
  const found = [];
  for (const d of detectors) {
    try {
      found.push(...d.find(text));
    } catch {
      // See above: the text goes on unmasked by this detector.
    }
  }
  const settled = settle(found, order);
  for (const f of settled) {
    const mode = policy[f.category as "secrets" | "pii"];
    const key = countKey(f.category as Category, f.detector, mode === "redact" ? "input_redact" : "input_monitor");
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return redact(text, settled.filter((f) => policy[f.category as "secrets" | "pii"] === "redact"));
}

/** Counts of a request's input masking, handed from the request side to the answer's accounting. */
const pending = new WeakMap<object, GuardCounts>();
export const noteInputCounts = (request: object, counts: GuardCounts) => {
  if (counts.size > 0) pending.set(request, counts);
};
export const takeInputCounts = (request: object): GuardCounts | null => {
  const c = pending.get(request) ?? null;
  pending.delete(request);
  return c;
};

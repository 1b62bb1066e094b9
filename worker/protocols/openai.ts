import { z } from "zod";
import { WardenError } from "../errors";
import { textsIn } from "./strings";
import { OPERATOR_ROLES, operatorOnly } from "./voices";

/**
 * OpenAI request schemas: the fields Warden reads are typed; every other field passes through
 * untouched (z.looseObject), so new API features reach the origin without a Warden release.
 */
const Content = z.union([
  z.string(),
  z.null(),
  z.array(z.looseObject({ type: z.string(), text: z.string().optional() })),
]);

const Message = z.looseObject({
  role: z.string().min(1),
  content: Content.optional(),
  name: z.string().optional(),
});

const common = {
  model: z.string().min(1).max(256),
  stream: z.boolean().optional(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullable().optional(),
  max_tokens: z.number().int().min(1).nullable().optional(),
  logprobs: z.union([z.boolean(), z.number().int().min(0)]).nullable().optional(),
  logit_bias: z.record(z.string(), z.number()).nullable().optional(),
  n: z.number().int().min(1).max(128).nullable().optional(),
  // vLLM: log-probabilities of the prompt's own tokens, lowered to max_top_logprobs like the
  // others. Typed here so that a string ("20") or -1 (vLLM's "whole vocabulary") is a 400.
  prompt_logprobs: z.number().int().min(0).max(20).nullable().optional(),
};

export const ChatCompletionRequest = z.looseObject({
  ...common,
  messages: z.array(Message).min(1),
  max_completion_tokens: z.number().int().min(1).nullable().optional(),
  top_logprobs: z.number().int().min(0).max(20).nullable().optional(),
});
export type ChatCompletionRequest = z.infer<typeof ChatCompletionRequest>;

const TokenIds = z.array(z.number().int());
export const CompletionRequest = z.looseObject({
  ...common,
  // An integer only: a server that reads `true` as 1 would return alternatives past a cap of 0.
  logprobs: z.number().int().min(0).nullable().optional(),
  top_logprobs: z.number().int().min(0).max(20).nullable().optional(),
  prompt: z.union([z.string(), z.array(z.string()), TokenIds, z.array(TokenIds)]),
});
export type CompletionRequest = z.infer<typeof CompletionRequest>;

export const EmbeddingRequest = z.looseObject({
  model: z.string().min(1).max(256),
  input: z.union([z.string(), z.array(z.string()).min(1), TokenIds.min(1), z.array(TokenIds).min(1)]),
  encoding_format: z.enum(["float", "base64"]).optional(),
  // vLLM can pack base64 embeddings as float16/bfloat16/fp8 or big-endian: Warden would read
  // those bytes as little-endian float32 and leave half of each value unprotected.
  embed_dtype: z.literal("float32").nullable().optional(),
  endianness: z.enum(["native", "little"]).nullable().optional(),
  dimensions: z.number().int().min(1).optional(),
});
export type EmbeddingRequest = z.infer<typeof EmbeddingRequest>;

/**
 * Top-level chat fields whose text reaches the model's prompt: tool and (legacy) function
 * definitions with their JSON schemas, the response schema, RAG documents (vLLM), a predicted
 * output, and a chat template with its arguments where the origin accepts them.
 */
const CHAT_TEXT_FIELDS = ["tools", "functions", "tool_choice", "response_format", "documents", "prediction", "chat_template", "chat_template_kwargs"] as const;

/**
 * Every text a model would read: message contents of all roles and their text parts, names,
 * refusals and reasoning, tool-call names and arguments (model-authored, fed back next turn),
 * and the structured fields above. Anything missed here is an unscreened way in.
 */
export function chatTexts(body: ChatCompletionRequest): string[] {
  const out = body.messages.flatMap(messageTexts);
  const fields = body as Record<string, unknown>;
  for (const field of CHAT_TEXT_FIELDS) if (fields[field] !== undefined) out.push(...textsIn(fields[field]));
  return out;
}

/** Of `chatTexts`, those only system and developer messages say (protocols/voices.ts). */
export function chatOperatorTexts(body: ChatCompletionRequest, texts: readonly string[]): string[] {
  return operatorOnly(body.messages.filter((m) => OPERATOR_ROLES.has(m.role)).flatMap(messageTexts), texts);
}

function messageTexts(m: ChatCompletionRequest["messages"][number]): string[] {
  const out: string[] = [];
  const push = (v: unknown) => {
    if (typeof v === "string") out.push(v);
  };
  const msg = m as Record<string, unknown>;
  if (Array.isArray(m.content)) for (const part of m.content) push(part.text);
  else push(m.content);
  push(m.name);
  push(msg.refusal);
  push(msg.reasoning_content);
  const calls = [...(Array.isArray(msg.tool_calls) ? msg.tool_calls : []), msg.function_call];
  for (const call of calls) {
    const fn = ((call as { function?: unknown } | null)?.function ?? call) as { name?: unknown; arguments?: unknown } | null;
    push(fn?.name);
    push(fn?.arguments);
  }
  return out;
}

/** Texts of a completion prompt or embedding input; token ids are not text (see refuseTokenIds). */
export function promptTexts(prompt: CompletionRequest["prompt"] | EmbeddingRequest["input"]): string[] {
  if (typeof prompt === "string") return [prompt];
  return prompt.filter((p): p is string => typeof p === "string");
}

/** A completion's texts: its prompt and the `suffix` the model also reads. */
export function completionTexts(body: CompletionRequest): string[] {
  const suffix = (body as { suffix?: unknown }).suffix;
  return typeof suffix === "string" ? [...promptTexts(body.prompt), suffix] : promptTexts(body.prompt);
}

/** Whether a prompt or input holds token ids (a list of integers, or a list of such lists). */
export function hasTokenIds(prompt: CompletionRequest["prompt"] | EmbeddingRequest["input"]): boolean {
  return Array.isArray(prompt) && prompt.some((p) => typeof p === "number" || Array.isArray(p));
}

/**
 * Screening reads text; token ids decode to text only with the origin's tokenizer, which Warden
 * does not have. So while screening is on, token-id prompts are refused rather than waved
 * through unscreened (an attack would otherwise need only to be tokenized first).
 */
export function refuseTokenIds(prompt: CompletionRequest["prompt"] | EmbeddingRequest["input"], field: "prompt" | "input", screening: "off" | "monitor" | "block"): void {
  if (screening !== "off" && hasTokenIds(prompt)) {
    const message = "token ids cannot be screened; send text (this tenant screens its inputs)";
    // The one field at fault, so the OpenAI error member names it as `param` (error-dialects.ts).
    throw new WardenError("invalid_request", `${field}: ${message}`, { extensions: { errors: [{ path: field, message }] } });
  }
}

const utf8 = new TextEncoder();

/**
 * Tokens a tokenizer may add around one text of its own accord: BOS/EOS, chat-template role
 * markers, a SentencePiece word prefix. Generous on purpose: the bound must never be below the truth.
 */
export const PER_TEXT_OVERHEAD_TOKENS = 8;

/**
 * An upper bound of the prompt tokens of a completion prompt or an embedding input, for the
 * reservation (CONTRACT §5). Every tokenizer in use (byte-level BPE, SentencePiece with byte
 * fallback, WordPiece) makes at most one token of each UTF-8 byte, so a text is bounded by its
 * byte length; token ids are exactly what they are. Characters / 4 is an average, not a bound:
 * a prompt in Chinese or of random bytes runs far past it.
 */
export function promptTokenBound(prompt: CompletionRequest["prompt"] | EmbeddingRequest["input"]): number {
  const parts: Array<string | number[]> = typeof prompt === "string" ? [prompt] : prompt.length > 0 && typeof prompt[0] === "number" ? [prompt as number[]] : (prompt as Array<string | number[]>);
  let bound = 0;
  for (const p of parts) bound += (typeof p === "string" ? utf8.encode(p).byteLength : p.length) + PER_TEXT_OVERHEAD_TOKENS;
  return bound;
}

/** How many prompts a completion request holds: each gets its own `n` completions. */
export function promptCount(prompt: CompletionRequest["prompt"]): number {
  if (typeof prompt === "string" || prompt.length === 0 || typeof prompt[0] === "number") return 1;
  return prompt.length;
}

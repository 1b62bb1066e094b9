import { z } from "zod";

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
  prompt: z.union([z.string(), z.array(z.string()), TokenIds, z.array(TokenIds)]),
});
export type CompletionRequest = z.infer<typeof CompletionRequest>;

export const EmbeddingRequest = z.looseObject({
  model: z.string().min(1).max(256),
  input: z.union([z.string(), z.array(z.string()).min(1), TokenIds.min(1), z.array(TokenIds).min(1)]),
  encoding_format: z.enum(["float", "base64"]).optional(),
  dimensions: z.number().int().min(1).optional(),
});
export type EmbeddingRequest = z.infer<typeof EmbeddingRequest>;

/** Every text a model would read: all roles, text parts, tool results. Token-id inputs cannot be read. */
export function chatTexts(body: ChatCompletionRequest): string[] {
  const out: string[] = [];
  for (const m of body.messages) {
    if (typeof m.content === "string") out.push(m.content);
    else if (Array.isArray(m.content)) for (const part of m.content) if (typeof part.text === "string") out.push(part.text);
    // Tool calls carry model-authored arguments that are fed back next turn: read them too.
    const calls = (m as { tool_calls?: unknown }).tool_calls;
    if (Array.isArray(calls)) {
      for (const call of calls) {
        const args = (call as { function?: { arguments?: unknown } })?.function?.arguments;
        if (typeof args === "string") out.push(args);
      }
    }
  }
  return out;
}

export function promptTexts(prompt: CompletionRequest["prompt"] | EmbeddingRequest["input"]): string[] {
  if (typeof prompt === "string") return [prompt];
  return prompt.filter((p): p is string => typeof p === "string");
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

/** Total tokens the origin reports in a JSON answer or a stream's usage chunk; null when absent. */
export function reportedTotalTokens(json: unknown): number | null {
  const usage = (json as { usage?: { total_tokens?: unknown; prompt_tokens?: unknown; completion_tokens?: unknown } } | null)?.usage;
  if (!usage || typeof usage !== "object") return null;
  if (typeof usage.total_tokens === "number") return usage.total_tokens;
  const p = typeof usage.prompt_tokens === "number" ? usage.prompt_tokens : 0;
  const c = typeof usage.completion_tokens === "number" ? usage.completion_tokens : 0;
  return p + c > 0 ? p + c : null;
}

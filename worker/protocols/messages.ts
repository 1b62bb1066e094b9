import { z } from "zod";
import { textsIn } from "./strings";
import { operatorOnly } from "./voices";

/**
 * The Anthropic Messages API (`POST /v1/messages`), as vLLM and Anthropic serve it; clients send
 * `x-api-key` and `anthropic-version`. `max_tokens` is required by the API itself, so every
 * request names its maximum and Warden reserves it.
 */
const Block = z.looseObject({ type: z.string() });
export const MessagesRequest = z.looseObject({
  model: z.string().min(1).max(256),
  max_tokens: z.number().int().min(1),
  messages: z.array(z.looseObject({ role: z.string().min(1), content: z.union([z.string(), z.array(Block)]) })).min(1),
  system: z.union([z.string(), z.array(Block)]).optional(),
  tools: z.array(z.looseObject({})).optional(),
  tool_choice: z.unknown().optional(),
  stream: z.boolean().optional(),
});
export type MessagesRequest = z.infer<typeof MessagesRequest>;

/**
 * Every text the model reads: the system prompt, every message's text blocks, tool results and
 * tool-use inputs, documents, and the tool definitions — any block type, minus bookkeeping.
 */
export function messagesTexts(body: MessagesRequest): string[] {
  const out = body.system !== undefined ? blocks(body.system) : [];
  for (const m of body.messages) out.push(...blocks(m.content));
  for (const field of [body.tools, body.tool_choice]) if (field != null) out.push(...textsIn(field));
  return out;
}

/** Of `messagesTexts`, those only the system prompt says (protocols/voices.ts). */
export function messagesOperatorTexts(body: MessagesRequest, texts: readonly string[]): string[] {
  return body.system !== undefined ? operatorOnly(blocks(body.system), texts) : [];
}

function blocks(content: string | Array<Record<string, unknown>>): string[] {
  return typeof content === "string" ? [content] : content.flatMap((block) => textsIn(blockText(block)));
}

function blockText(block: Record<string, unknown>): unknown {
  const { type: _type, id: _id, tool_use_id: _useId, cache_control: _cache, ...rest } = block;
  return rest;
}

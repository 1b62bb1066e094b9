import { z } from "zod";
import { textsIn } from "./strings";
import { OPERATOR_ROLES, operatorOnly } from "./voices";

/**
 * The OpenAI Responses API (`POST /v1/responses`), as vLLM and OpenAI serve it. Fields Warden
 * reads are typed; the rest passes through (z.looseObject). `previous_response_id`, `store` and
 * `conversation` name state kept by the origin: Warden forwards them and screens only what this
 * request carries (docs/contract-additions.md says what that means).
 */
export const ResponsesRequest = z.looseObject({
  model: z.string().min(1).max(256),
  input: z.union([z.string(), z.array(z.looseObject({}))]).optional(),
  instructions: z.string().nullable().optional(),
  tools: z.array(z.looseObject({})).nullable().optional(),
  tool_choice: z.unknown().optional(),
  text: z.looseObject({}).nullable().optional(),
  prompt: z.looseObject({}).nullable().optional(),
  max_output_tokens: z.number().int().min(1).nullable().optional(),
  top_logprobs: z.number().int().min(0).max(20).nullable().optional(),
  stream: z.boolean().nullable().optional(),
  previous_response_id: z.string().max(256).nullable().optional(),
});
export type ResponsesRequest = z.infer<typeof ResponsesRequest>;

/**
 * Every text the model reads: the instructions, every input item (messages and their text parts,
 * tool outputs, tool-call arguments, reasoning summaries) and the tool definitions, response
 * format and prompt-template variables — whatever an item's type, so a new item type is screened
 * rather than waved through.
 */
export function responsesTexts(body: ResponsesRequest): string[] {
  const out: string[] = [];
  if (typeof body.instructions === "string") out.push(body.instructions);
  if (typeof body.input === "string") out.push(body.input);
  else if (body.input) for (const item of body.input) out.push(...textsIn(itemText(item)));
  for (const field of [body.tools, body.tool_choice, body.text, body.prompt]) if (field != null) out.push(...textsIn(field));
  return out;
}

/** Of `responsesTexts`, those only the instructions and system or developer items say (protocols/voices.ts). */
export function responsesOperatorTexts(body: ResponsesRequest, texts: readonly string[]): string[] {
  const operator = typeof body.instructions === "string" ? [body.instructions] : [];
  if (Array.isArray(body.input)) for (const item of body.input) if (typeof item.role === "string" && OPERATOR_ROLES.has(item.role)) operator.push(...textsIn(itemText(item)));
  return operatorOnly(operator, texts);
}

/** The parts of an input item the model reads: everything but its bookkeeping (ids, status, type tags). */
function itemText(item: Record<string, unknown>): unknown {
  const { id: _id, status: _status, type: _type, call_id: _callId, ...rest } = item;
  if (Array.isArray(rest.content)) rest.content = rest.content.map((part) => (part && typeof part === "object" ? withoutTags(part as Record<string, unknown>) : part));
  return rest;
}

function withoutTags(part: Record<string, unknown>): Record<string, unknown> {
  const { type: _type, ...rest } = part;
  return rest;
}

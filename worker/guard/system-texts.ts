import { isObject, type Json } from "../json";

/** Text of a content value: a string, or an array of parts with `text`. */
function contentText(content: unknown): string[] {
  if (typeof content === "string") return [content];
  if (!Array.isArray(content)) return [];
  return content.flatMap((part) => (isObject(part) && typeof part.text === "string" ? [part.text] : []));
}

const SYSTEM_ROLES: ReadonlySet<unknown> = new Set(["system", "developer"]);

/*
 * The request's own system messages, which its answer must not reproduce (prompt_leak), per
 * dialect (worker/guard/dialect.ts): completions have none.
 */

export function chatSystemTexts(body: Json): string[] {
  return Array.isArray(body.messages) ? body.messages.flatMap((m: unknown) => (isObject(m) && SYSTEM_ROLES.has(m.role) ? contentText(m.content) : [])) : [];
}

export function responsesSystemTexts(body: Json): string[] {
  const out = typeof body.instructions === "string" ? [body.instructions] : [];
  if (Array.isArray(body.input)) for (const item of body.input) if (isObject(item) && SYSTEM_ROLES.has(item.role)) out.push(...contentText(item.content));
  return out;
}

export const messagesSystemTexts = (body: Json): string[] => contentText(body.system);

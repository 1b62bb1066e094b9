import { isObject, type Json } from "../json";
import type { RouteSpec } from "../pipeline/route";

/** Text of a content value: a string, or an array of parts with `text`. */
function contentText(content: unknown): string[] {
  if (typeof content === "string") return [content];
  if (!Array.isArray(content)) return [];
  return content.flatMap((part) => (isObject(part) && typeof part.text === "string" ? [part.text] : []));
}

const SYSTEM_ROLES = new Set(["system", "developer"]);

/** The request's own system messages, which its answer must not reproduce (prompt_leak). */
export function systemTexts(kind: RouteSpec["kind"], body: Json | null): string[] {
  if (!body) return [];
  switch (kind) {
    case "chat":
      return Array.isArray(body.messages) ? body.messages.flatMap((m) => (isObject(m) && SYSTEM_ROLES.has(m.role as string) ? contentText(m.content) : [])) : [];
    case "responses": {
      const out = typeof body.instructions === "string" ? [body.instructions] : [];
      if (Array.isArray(body.input)) for (const item of body.input) if (isObject(item) && SYSTEM_ROLES.has(item.role as string)) out.push(...contentText(item.content));
      return out;
    }
    case "messages":
      return contentText(body.system);
    default:
      return [];
  }
}

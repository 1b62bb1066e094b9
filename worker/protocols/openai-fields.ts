import { WardenError } from "../errors";
import { isObject, type Json } from "../json";
import { checkOutboundUrl } from "../auth/outbound-url";

/**
 * Request fields that OpenAI-compatible servers (vLLM above all) accept beyond OpenAI's API, and
 * that Warden refuses unless the model's `protection.allow_fields` names them:
 * - tensors the server deserializes (`prompt_embeds`, and `image_embeds`, `audio_embeds`,
 *   `video_embeds`, `prompt_embeds` content parts): CVE-2025-62164 was memory corruption through
 *   exactly this path, and embeddings skip every text check;
 * - settings that reconfigure the server for one request: a Jinja chat template and its
 *   arguments, multimodal processor and media loader arguments, custom logits processors and
 *   their arguments, KV-transfer endpoints.
 * Guided decoding (`guided_*`, `structured_outputs`, `response_format`) only constrains sampling
 * and passes. `allowed_token_ids` restricts the vocabulary like `logit_bias` does, so it follows
 * `protection.logprobs.allow_logit_bias`.
 */
export const REFUSABLE_FIELDS = [
  "prompt_embeds", "image_embeds", "audio_embeds", "video_embeds",
  "chat_template", "chat_template_kwargs", "mm_processor_kwargs", "media_io_kwargs",
  "logits_processors", "vllm_xargs", "kv_transfer_params",
] as const;
export type RefusableField = (typeof REFUSABLE_FIELDS)[number];

const TOP_LEVEL: readonly RefusableField[] = ["prompt_embeds", "chat_template", "chat_template_kwargs", "mm_processor_kwargs", "media_io_kwargs", "logits_processors", "vllm_xargs", "kv_transfer_params"];
const EMBED_PARTS: ReadonlySet<string> = new Set<RefusableField>(["image_embeds", "audio_embeds", "video_embeds", "prompt_embeds"]);

type Issue = { path: string; message: string };

export interface FieldPolicy {
  allowFields: readonly string[];
  allowLogitBias: boolean;
  /** The model perturbs log-probabilities: prompt log-probabilities could not be perturbed alike. */
  perturbsLogprobs: boolean;
}

/**
 * Throws one 400 naming every refused field and every media URL that fails the outbound rules.
 * Absent and `null` fields pass (they ask for nothing).
 */
export function checkOpenAIFields(body: Json, policy: FieldPolicy): void {
  const issues: Issue[] = [];
  const allowed = new Set(policy.allowFields);
  for (const field of TOP_LEVEL) {
    if (body[field] !== undefined && body[field] !== null && !allowed.has(field)) issues.push({ path: field, message: "not allowed for this model (protection.allow_fields)" });
  }
  if (!policy.allowLogitBias && body.allowed_token_ids !== undefined && body.allowed_token_ids !== null) {
    issues.push({ path: "allowed_token_ids", message: "restricts the vocabulary like logit_bias; not allowed for this model" });
  }
  if (policy.perturbsLogprobs && typeof body.prompt_logprobs === "number") {
    issues.push({ path: "prompt_logprobs", message: "this model perturbs log-probabilities; prompt log-probabilities are not available" });
  }
  // Chat and Anthropic Messages carry parts in `messages[].content`; the Responses API in `input[].content`.
  for (const list of ["messages", "input"] as const) {
    const items = body[list];
    if (!Array.isArray(items)) continue;
    items.forEach((m, i) => {
      const content = isObject(m) ? m.content : undefined;
      if (Array.isArray(content)) content.forEach((part, j) => checkPart(part, `${list}.${i}.content.${j}`, allowed, issues));
    });
  }
  // Hosted tools the origin itself connects to (a Responses `mcp` tool's `server_url`, Anthropic's
  // `mcp_servers[].url`): the same outbound rules, or a client could aim the origin at its own network.
  for (const list of ["tools", "mcp_servers"] as const) {
    const items = body[list];
    if (!Array.isArray(items)) continue;
    items.forEach((tool, i) => {
      if (!isObject(tool)) return;
      for (const [key, url] of Object.entries(tool)) {
        if (typeof url !== "string" || !(key === "url" || key.endsWith("_url"))) continue;
        const verdict = checkMediaUrl(url);
        if (!verdict.ok) issues.push({ path: `${list}.${i}.${key}`, message: verdict.reason.replace("media URL", "tool server URL") });
      }
    });
  }
  if (issues.length > 0) {
    throw new WardenError("invalid_request", `Refused request fields: ${issues.map((e) => e.path).join(", ")}`, { extensions: { errors: issues.slice(0, 20) } });
  }
}

function checkPart(part: unknown, path: string, allowed: ReadonlySet<string>, issues: Issue[]): void {
  if (!isObject(part)) return;
  // vLLM reads a part by its `type`, or by its one key when `type` is missing ({"image_url": "…"}).
  const kinds = [typeof part.type === "string" ? part.type : null, ...Object.keys(part)].filter((k): k is string => k !== null);
  for (const kind of kinds) {
    if (EMBED_PARTS.has(kind) && !allowed.has(kind)) {
      issues.push({ path, message: `${kind} parts are not allowed for this model (protection.allow_fields)` });
      return;
    }
  }
  for (const [key, value] of Object.entries(part)) {
    if (TEXT_KEYS.has(key)) continue;
    for (const [where, url] of urlsIn(value, `${path}.${key}`, key)) {
      const verdict = checkMediaUrl(url);
      if (!verdict.ok) issues.push({ path: where, message: verdict.reason });
    }
  }
}

/** Keys of content parts that hold words, not addresses ("Note:" is no URL scheme). */
const TEXT_KEYS = new Set(["type", "text", "thinking", "refusal", "name", "uuid", "detail", "format", "closed"]);

/**
 * Strings in a content part that a server would fetch: values under `url` or `*_url` keys, and
 * any other string that starts with a URL scheme (`file_data`, `input_audio.data`, …). Base64
 * never contains a colon, so media data is not mistaken for a URL.
 */
function urlsIn(value: unknown, path: string, key: string, depth = 0): Array<[string, string]> {
  if (typeof value === "string") {
    const urlKey = key === "url" || key.endsWith("_url");
    return urlKey || /^\s*[a-z][a-z0-9+.-]*:/i.test(value) ? [[path, value]] : [];
  }
  if (depth > 4 || typeof value !== "object" || value === null) return [];
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  return entries.flatMap(([k, v]) => urlsIn(v, `${path}.${k}`, Array.isArray(value) ? key : k, depth + 1));
}

/**
 * A media URL the origin would fetch: `data:` URLs pass; everything else must be https to a
 * public host by the same rules as origins (never loopback: the origin's own loopback is its
 * machine). Backslashes, whitespace, control and non-ASCII characters and `@` are refused outright:
 * the origin's URL parser (Python's, usually) may read such a URL differently from WHATWG's,
 * and the difference is where an SSRF hides.
 */
export function checkMediaUrl(raw: string): { ok: true } | { ok: false; reason: string } {
  if (/^data:/i.test(raw)) return { ok: true };
  if (/[^\x21-\x7e]|[\\@]/.test(raw)) return { ok: false, reason: "media URLs may not contain spaces, backslashes, '@' or non-ASCII characters" };
  const verdict = checkOutboundUrl(raw, false);
  return verdict.ok ? verdict : { ok: false, reason: `media URL refused: ${verdict.reason}` };
}

import type { z } from "zod";
import { WardenError } from "../errors";

/**
 * Reads a JSON request body with a hard byte cap. The cap is enforced while reading, so a client
 * cannot make Warden buffer more than `maxBytes` whatever Content-Length claims.
 */
export async function readJsonBody(req: Request, maxBytes: number): Promise<{ json: unknown; bytes: Uint8Array }> {
  const type = (req.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json" && !/^application\/[a-z0-9.+-]*\+json$/.test(type)) {
    throw new WardenError("unsupported_media_type", "The body must be application/json.");
  }
  const declared = Number(req.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  // A request checked again under a newer tenant configuration (worker/pipeline/run.ts) reads
  // the same bytes a second time, held to the cap as it now is.
  const held = readBodies.get(req);
  if (held && held.byteLength > maxBytes) throw tooLarge(maxBytes);
  const bytes = held ?? (await readCapped(req.body, maxBytes));
  readBodies.set(req, bytes);
  let json: unknown;
  try {
    json = JSON.parse(UTF8.decode(bytes));
  } catch {
    throw new WardenError("invalid_request", "The body is not valid UTF-8 JSON.");
  }
  if (depthExceeds(json, MAX_JSON_DEPTH)) throw new WardenError("invalid_request", `The body nests deeper than ${MAX_JSON_DEPTH} levels.`);
  return { json, bytes };
}

const readBodies = new WeakMap<Request, Uint8Array>();
// One decoder per isolate: a non-streaming decode keeps no state between calls, and a fatal
// decoder throws on malformed bytes each time.
const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/**
 * No API Warden serves nests anywhere near this deep; refusing deeper bodies up front keeps every
 * recursive step after parsing (merge patch, flattening tensors, canonical JSON) off the stack limit.
 */
export const MAX_JSON_DEPTH = 64;

function depthExceeds(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== "object" || v === null) continue;
    if (depth > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (typeof child === "object" && child !== null) stack.push([child, depth + 1]);
  }
  return false;
}

async function readCapped(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<Uint8Array> {
  if (!body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

function tooLarge(maxBytes: number): WardenError {
  return new WardenError("payload_too_large", `The body exceeds ${maxBytes} bytes.`);
}

/** Parses with a zod schema; a failure is a 400 naming each failing path (never echoing values). */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw zodProblem(result.error, what);
}

export function zodProblem(error: z.ZodError, what: string): WardenError {
  const errors = error.issues.slice(0, 20).map((i) => ({ path: i.path.map(String).join(".") || "(root)", message: i.message }));
  return new WardenError("invalid_request", `Invalid ${what}: ${errors.map((e) => e.path).join(", ")}`, { extensions: { errors } });
}

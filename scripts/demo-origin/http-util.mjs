/** Small HTTP helpers shared by the demo origin's routes (node:http only). */

export const MAX_BODY_BYTES = 8 * 1024 * 1024;

/** A failed request: `status` and the body the protocol expects for errors. */
export class HttpError extends Error {
  constructor(status, body) {
    super(typeof body === "string" ? body : JSON.stringify(body));
    this.status = status;
    this.body = body;
  }
}

/** OpenAI's error shape: `{ error: { message, type, param, code } }`. */
export function openaiError(status, message, param = null, code = null) {
  const type = status === 404 ? "not_found_error" : "invalid_request_error";
  return new HttpError(status, { error: { message, type, param, code } });
}

/** KServe's (OIP v2) error shape: `{ error: "message" }`. */
export function oipError(status, message) {
  return new HttpError(status, { error: message });
}

export async function readBody(req, limit = MAX_BODY_BYTES) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) throw new HttpError(413, { error: "request body too large" });
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Parse a JSON object body; `fail(message)` builds the protocol's own error. */
export async function readJsonObject(req, fail) {
  const raw = (await readBody(req)).toString("utf8");
  let body;
  try {
    body = JSON.parse(raw);
  } catch {
    throw fail("the request body is not valid JSON");
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw fail("the request body must be a JSON object");
  return body;
}

export function sendJson(res, status, body, headers = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function startEventStream(res) {
  res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" });
  // Send the headers now: a proxy in front must be able to pass the first byte on at once.
  res.flushHeaders();
}

export function sendEvent(res, data) {
  res.write(`data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`);
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

import { SELF, env } from "cloudflare:test";

/** Drives the Worker under test through its real fetch handler, as a client would over HTTP. */
export const ADMIN = { authorization: `Bearer ${env.ADMIN_TOKEN}` };
export const BASE = "https://warden.test";

export function call(path: string, init: RequestInit = {}): Promise<Response> {
  return SELF.fetch(`${BASE}${path}`, init);
}

export function json(body: unknown, headers: Record<string, string> = {}): RequestInit {
  return { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) };
}

export function admin(path: string, method = "GET", body?: unknown, contentType = "application/json"): Promise<Response> {
  const init: RequestInit = { method, headers: { ...ADMIN, ...(body === undefined ? {} : { "content-type": contentType }) } };
  if (body !== undefined) init.body = typeof body === "string" ? body : JSON.stringify(body);
  return call(`/admin/v1${path}`, init);
}

let counter = 0;
/** A tenant id unique within this test file (storage is isolated per file). */
export function uniqueTenantId(prefix = "t"): string {
  counter += 1;
  return `${prefix}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

export function chatModel(name = "chat", originPath = "", extra: Record<string, unknown> = {}) {
  return { name, protocol: "openai", origins: [{ url: `${env.ORIGIN_URL}${originPath}` }], ...extra };
}

export async function createTenant(overrides: Record<string, unknown> = {}): Promise<{ id: string; body: Record<string, unknown> }> {
  const id = (overrides.id as string | undefined) ?? uniqueTenantId();
  const doc = { id, name: `Tenant ${id}`, models: [chatModel()], policy: {}, ...overrides };
  const res = await admin("/tenants", "POST", doc);
  if (res.status !== 201) throw new Error(`create tenant failed: ${res.status} ${await res.text()}`);
  return { id, body: (await res.json()) as Record<string, unknown> };
}

export async function issueKey(tenant: string, body: Record<string, unknown> = { name: "test" }): Promise<{ id: string; key: string }> {
  const res = await admin(`/tenants/${tenant}/keys`, "POST", body);
  if (res.status !== 201) throw new Error(`issue key failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string; key: string };
}

export function bearer(key: string): Record<string, string> {
  return { authorization: `Bearer ${key}` };
}

export async function problem(res: Response): Promise<{ code: string; status: number; type: string; title: string; detail: string; request_id: string }> {
  if (!res.headers.get("content-type")?.startsWith("application/problem+json")) {
    throw new Error(`not a problem+json response: ${res.status} ${res.headers.get("content-type")} ${await res.text()}`);
  }
  return (await res.json()) as never;
}

/**
 * Retries `check` until it stops throwing, for effects Warden writes after the answer
 * (`waitUntil`: settlement, audit entries, watermark records). Gives up after `ms`: generous,
 * because a passing check returns at once and only a failure waits it out, while on a busy
 * 2-core machine the settlements of a few hundred concurrent requests take seconds to land.
 */
export async function eventually<T>(check: () => Promise<T>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

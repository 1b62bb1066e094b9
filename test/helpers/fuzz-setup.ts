import { env } from "cloudflare:test";
import { SignJWT } from "jose";
import { admin, chatModel, createTenant, issueKey, uniqueTenantId } from "./warden";
import { afterAll, beforeAll } from "vitest";
import type { FuzzJudge } from "./fuzz-check";
import { settledState, type TenantState } from "./fuzz-state";

/**
 * The tenants the fuzz tests attack: one with every kind of model and every secret Warden keeps
 * (origin header values, a JWT HMAC secret, API keys), and a second one whose key must not work
 * on the first. Every secret is registered with the judge, which fails any answer showing one.
 */
export const DIGITS_INPUT = { name: "input-0", datatype: "FP32", shape: [-1, 64], min: 0, max: 16 };
export const JWT_ISSUER = "https://idp.fuzz.example";

export interface FuzzWorld {
  id: string;
  other: string;
  key: string;
  narrowKey: string;
  revokedKey: string;
  otherKey: string;
  jwtSecret: string;
  /** Each world's own audience: two tenants may not trust one issuer for the same audience. */
  jwtAudience: string;
  originSecret: string;
  /** Audit entries the setup wrote for `id` (to wait for before a state snapshot). */
  auditEntries: number;
  jwt(claims: Record<string, unknown>, opts?: { secret?: string; expiresIn?: string }): Promise<string>;
}

function random(label: string): string {
  return `${label}-${[...crypto.getRandomValues(new Uint8Array(12))].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

export function fuzzModels(originSecret: string) {
  return [
    chatModel("chat", "", { origins: [{ url: env.ORIGIN_URL, headers: { "x-origin-key": originSecret } }] }),
    chatModel("emb"),
    chatModel("a.b:c/d-e_f"),
    chatModel("echo", "/echo"),
    chatModel("broken", "/status/500"),
    { name: "down", protocol: "openai", origins: [{ url: env.ORIGIN_DOWN_URL }] },
    { name: "digits", protocol: "oip", origins: [{ url: env.ORIGIN_URL, headers: { authorization: `Bearer ${originSecret}` } }], inputs: [DIGITS_INPUT], outputs: [{ name: "probabilities", kind: "probabilities" }] },
    { name: "digits-free", protocol: "oip", origins: [{ url: env.ORIGIN_URL }] },
    { name: "texts", protocol: "oip", origins: [{ url: env.ORIGIN_URL }], inputs: [{ name: "text", datatype: "BYTES", shape: [-1] }] },
  ];
}

export async function fuzzWorld(judge: FuzzJudge): Promise<FuzzWorld> {
  const jwtSecret = random("fuzz-jwt-secret");
  const jwtAudience = random("warden-fuzz");
  const originSecret = random("fuzz-origin-secret");
  const { id } = await createTenant({
    id: uniqueTenantId("fuzz"),
    models: fuzzModels(originSecret),
    policy: {
      auth: { api_keys: true, jwt: { issuer: JWT_ISSUER, audience: jwtAudience, secret: jwtSecret, algorithms: ["HS256"] } },
      // Generous, but present: naughty max_tokens and n go through the budget arithmetic.
      limits: { requests_per_minute: 1_000_000, burst: 100_000, tokens_per_day: 1_000_000_000_000, max_concurrency: 64 },
      // Accepted fuzz traffic would otherwise look like extraction and be refused before the origin.
      extraction: { mode: "off" },
    },
  });
  const { id: other } = await createTenant({ id: uniqueTenantId("other") });
  const key = (await issueKey(id, { name: "fuzz" })).key;
  const narrowKey = (await issueKey(id, { name: "narrow", scopes: ["chat"] })).key;
  const revoked = await issueKey(id, { name: "revoked" });
  const res = await admin(`/tenants/${id}/keys/${revoked.id}`, "DELETE");
  if (res.status !== 204) throw new Error(`revoke failed: ${res.status}`);
  const otherKey = (await issueKey(other, { name: "other" })).key;

  judge.credential("JWT HMAC secret", jwtSecret);
  judge.credential("origin header value", originSecret);
  for (const [name, k] of [["api key", key], ["narrow api key", narrowKey], ["revoked api key", revoked.key], ["other tenant's api key", otherKey]] as const) {
    judge.credential(name, k);
    judge.credential(`${name} (secret part)`, k.split(".")[3]!);
  }

  const jwt = (claims: Record<string, unknown>, opts: { secret?: string; expiresIn?: string } = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer(JWT_ISSUER)
      .setAudience(jwtAudience)
      .setIssuedAt()
      .setExpirationTime(opts.expiresIn ?? "10m")
      .sign(new TextEncoder().encode(opts.secret ?? jwtSecret));
  // tenant.created, three key.issued, key.revoked
  return { id, other, key, narrowKey, revokedKey: revoked.key, otherKey, jwtSecret, jwtAudience, originSecret, auditEntries: 5, jwt };
}


export interface DataRoute {
  name: string;
  method: "GET" | "POST";
  path: string;
  body?: Record<string, unknown>;
}

/** Every data-plane route of CONTRACT §4, each with a request its model would accept. */
export const DATA_ROUTES: DataRoute[] = [
  { name: "models", method: "GET", path: "/v1/models" },
  { name: "chat", method: "POST", path: "/v1/chat/completions", body: { model: "chat", messages: [{ role: "user", content: "hello there" }], max_tokens: 4 } },
  { name: "completions", method: "POST", path: "/v1/completions", body: { model: "chat", prompt: "hello there", max_tokens: 4 } },
  { name: "embeddings", method: "POST", path: "/v1/embeddings", body: { model: "emb", input: "hello there" } },
  { name: "infer", method: "POST", path: "/v2/models/digits/infer", body: { inputs: [{ name: "input-0", datatype: "FP32", shape: [1, 64], data: new Array(64).fill(1) }] } },
  { name: "metadata", method: "GET", path: "/v2/models/digits" },
  { name: "ready", method: "GET", path: "/v2/models/digits/ready" },
  { name: "health", method: "GET", path: "/v2/health/ready" },
  { name: "live", method: "GET", path: "/v2/health/live" },
];

/** A request to `route` with these headers (content-type added for bodies). */
export function routeRequest(route: DataRoute, headers: Record<string, string>, body: unknown = route.body): RequestInit & { headers: Record<string, string> } {
  if (route.method === "GET") return { method: "GET", headers };
  return { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) };
}

/**
 * The fixture of a fuzz file: the judge watches the whole file, the fuzz world is built once, and
 * the tenant's state is snapshotted before any fuzzing (so refusals can be shown to change
 * nothing). `ready` receives both; `secrets` are extra values no answer may show.
 */
export function fuzzSuite(
  name: string,
  judge: FuzzJudge,
  ready: (world: FuzzWorld, before: TenantState) => void,
  secrets: Record<string, string> = {},
): void {
  beforeAll(async () => {
    judge.start();
    for (const [label, value] of Object.entries(secrets)) judge.credential(label, value);
    const world = await fuzzWorld(judge);
    ready(world, await settledState(world.id, world.auditEntries));
  });
  afterAll(() => {
    judge.stop();
    console.log(`fuzz ${name}: ${judge.summary()}`);
  });
}

import { describe, expect, it } from "vitest";
import { env } from "cloudflare:test";
import { UnsecuredJWT, SignJWT } from "jose";
import { FuzzJudge, type FuzzRequest } from "../../helpers/fuzz-check";
import { NAUGHTY, asWireLatin1, sample } from "../../helpers/fuzz-corpus";
import { DATA_ROUTES, JWT_ISSUER, fuzzSuite, routeRequest, type FuzzWorld } from "../../helpers/fuzz-setup";
import { expectUnchanged, tenantState, type TenantState } from "../../helpers/fuzz-state";

/**
 * CONTRACT §3 and §8 under hostile credentials and tenant ids: every refusal is a 401/403
 * problem (401 with WWW-Authenticate), none echoes a credential, none changes stored state,
 * and what is accepted is exactly what the contract accepts.
 */
const judge = new FuzzJudge();
let w: FuzzWorld;
let before: TenantState;

fuzzSuite("data-plane auth", judge, (world, snapshot) => {
  w = world;
  before = snapshot;
});

/** A credential-shaped header set, and whether the contract lets it in. */
interface Cred {
  label: string;
  headers: Record<string, string>;
  /** 401 / 403 expected; null when the route decides (scopes). */
  refusal: 401 | 403 | null;
}

function mutateLast(s: string): string {
  return s.slice(0, -1) + (s.endsWith("A") ? "B" : "A");
}

async function refusedCredentials(): Promise<Cred[]> {
  const [, tenant, keyId, secret] = w.key.split(".") as [string, string, string, string];
  const [, otherTenant, otherId, otherSecret] = w.otherKey.split(".") as [string, string, string, string];
  const now = Math.floor(Date.now() / 1000);
  const signed = (claims: Record<string, unknown>, header: Record<string, unknown> = {}, secretKey = w.jwtSecret) =>
    new SignJWT(claims).setProtectedHeader({ alg: "HS256", ...header }).sign(new TextEncoder().encode(secretKey));
  const base = { iss: JWT_ISSUER, aud: w.jwtAudience, sub: "fuzz-user", iat: now, exp: now + 600 };
  const auth = (v: string) => ({ authorization: v });
  const r401 = (label: string, headers: Record<string, string>): Cred => ({ label, headers, refusal: 401 });
  return [
    r401("no credential", {}),
    r401("empty authorization", auth("")),
    r401("scheme only", auth("Bearer")),
    r401("scheme and spaces", auth("Bearer    ")),
    r401("basic", auth("Basic dXNlcjpwYXNzd29yZA==")),
    r401("two tokens", auth(`Bearer ${w.key} ${w.key}`)),
    r401("double scheme", auth(`Bearer Bearer ${w.key}`)),
    r401("token scheme", auth(`Token ${w.key}`)),
    r401("no space", auth(`Bearer${w.key}`)),
    r401("no scheme", auth(w.key)),
    r401("secret changed", auth(`Bearer ${mutateLast(w.key)}`)),
    r401("secret truncated", auth(`Bearer ${w.key.slice(0, -1)}`)),
    r401("secret extended", auth(`Bearer ${w.key}A`)),
    r401("key id changed", auth(`Bearer wdn.${tenant}.${mutateLast(keyId)}.${secret}`)),
    r401("other key's secret", auth(`Bearer wdn.${tenant}.${keyId}.${otherSecret}`)),
    r401("tenant relabelled", auth(`Bearer wdn.${tenant}.${otherId}.${otherSecret}`)),
    r401("foreign id, foreign tenant, our secret", auth(`Bearer wdn.${otherTenant}.${otherId}.${secret}`)),
    r401("revoked key", auth(`Bearer ${w.revokedKey}`)),
    r401("revoked key as x-api-key", { "x-api-key": w.revokedKey }),
    r401("bare prefix", auth("Bearer wdn.")),
    r401("empty parts", auth("Bearer wdn....")),
    r401("shape without a key", auth(`Bearer wdn.${tenant}.${"a".repeat(16)}.${"A".repeat(43)}`)),
    r401("upper-case tenant in key", auth(`Bearer wdn.${tenant.toUpperCase()}.${keyId}.${secret}`)),
    r401("admin token", auth(`Bearer ${env.ADMIN_TOKEN}`)),
    r401("master key", auth(`Bearer ${env.MASTER_KEY}`)),
    r401("64 KiB token", auth(`Bearer ${"k".repeat(64 * 1024)}`)),
    r401("empty x-api-key", { "x-api-key": "" }),
    r401("spaces x-api-key", { "x-api-key": "    " }),
    r401("bad authorization wins over good x-api-key", { authorization: "Bearer nope", "x-api-key": w.key }),
    r401("jwt garbage", auth("Bearer eyJ.eyJ.")),
    r401("jwt empty signature", auth("Bearer eyJhbGciOiJIUzI1NiJ9.e30.")),
    r401("jwt alg none", auth(`Bearer ${new UnsecuredJWT(base).encode()}`)),
    r401("jwt wrong secret", auth(`Bearer ${await signed(base, {}, "another-secret-that-is-long-enough-000")}`)),
    r401("jwt expired", auth(`Bearer ${await signed({ ...base, exp: now - 3600 })}`)),
    r401("jwt not yet valid", auth(`Bearer ${await signed({ ...base, nbf: now + 3600 })}`)),
    r401("jwt issued in the future", auth(`Bearer ${await signed({ ...base, iat: now + 3600 })}`)),
    r401("jwt wrong audience", auth(`Bearer ${await signed({ ...base, aud: "someone-else" })}`)),
    r401("jwt wrong issuer", auth(`Bearer ${await signed({ ...base, iss: "https://evil.example" })}`)),
    r401("jwt without sub", auth(`Bearer ${await signed({ ...base, sub: undefined })}`)),
    r401("jwt with empty sub", auth(`Bearer ${await signed({ ...base, sub: "" })}`)),
    r401("jwt with 300-char sub", auth(`Bearer ${await signed({ ...base, sub: "s".repeat(300) })}`)),
    r401("jwt with numeric sub", auth(`Bearer ${await signed({ ...base, sub: 12345 })}`)),
    r401("jwt without exp", auth(`Bearer ${await signed({ ...base, exp: undefined })}`)),
    r401("jwt names its own key (jku)", auth(`Bearer ${await signed(base, { jku: "https://evil.example/jwks" })}`)),
    r401("jwt names its own key (jwk)", auth(`Bearer ${await signed(base, { jwk: { kty: "oct", k: "AAAA" } })}`)),
    r401("jwt with string exp", auth(`Bearer ${await signed({ ...base, exp: "tomorrow" })}`)),
    { label: "other tenant's key", headers: auth(`Bearer ${w.otherKey}`), refusal: 403 },
    { label: "other tenant's key as x-api-key", headers: { "x-api-key": w.otherKey }, refusal: 403 },
  ];
}

/**
 * workerd prints a warning for every header value with a byte ≥ 0x80, so only a few such values
 * are sent (as the UTF-8 bytes a client puts on the wire); the rest of the sample is ASCII.
 */
const ASCII = /^[\x00-\x7f]*$/;

function naughtyCredentials(): Cred[] {
  const out: Cred[] = [];
  const strings = [...sample(NAUGHTY.filter((s) => ASCII.test(s)), 90, 11), ...sample(NAUGHTY.filter((s) => !ASCII.test(s)), 1, 11)];
  for (const [i, s] of strings.entries()) {
    const wire = asWireLatin1(s);
    out.push({ label: `naughty bearer #${i}`, headers: { authorization: `Bearer ${wire}` }, refusal: 401 });
    out.push({ label: `naughty x-api-key #${i}`, headers: { "x-api-key": wire }, refusal: 401 });
    out.push({ label: `naughty authorization #${i}`, headers: { authorization: wire }, refusal: 401 });
    out.push({ label: `naughty api key #${i}`, headers: { authorization: `Bearer wdn.${w.id}.${asWireLatin1(s.slice(0, 16))}.${asWireLatin1(s)}` }, refusal: 401 });
  }
  return out;
}

function requestsFor(creds: Cred[], routes = DATA_ROUTES, tenant = w.id): Array<FuzzRequest & { cred: Cred }> {
  return creds.flatMap((cred) => routes.map((route) => ({ label: `${cred.label} → ${route.name}`, path: `/t/${tenant}${route.path}`, init: routeRequest(route, cred.headers), cred })));
}

describe("fuzz: data-plane credentials and tenant ids", () => {
  it("refuses every bad credential on every route with a 401/403 problem", { timeout: 120_000 }, async () => {
    const requests = requestsFor(await refusedCredentials());
    const outcomes = await judge.sendAll(requests);
    outcomes.forEach((o, i) => {
      if (!o) return;
      const { cred } = requests[i]!;
      if (o.status !== cred.refusal) judge.flag(o.label, `expected ${cred.refusal}, got ${o.status}`);
      if (o.status === 401) {
        const wa = o.headers.get("www-authenticate");
        const expected = cred.label === "no credential" || cred.label === "empty authorization" ? "Bearer" : 'Bearer error="invalid_token"';
        if (wa !== expected) judge.flag(o.label, `WWW-Authenticate ${wa}`);
      }
    });
    judge.assertClean();
  });

  it("refuses naughty strings as credentials", { timeout: 120_000 }, async () => {
    const routes = DATA_ROUTES.filter((r) => ["models", "chat"].includes(r.name));
    const requests = requestsFor(naughtyCredentials(), routes);
    const outcomes = await judge.sendAll(requests);
    outcomes.forEach((o, i) => {
      if (o && o.status !== requests[i]!.cred.refusal) judge.flag(o.label, `expected 401, got ${o.status}`);
    });
    expect(outcomes.filter((o) => o !== null).length).toBeGreaterThan(requests.length / 2);
    judge.assertClean();
  });

  it("answers naughty tenant ids in the path as unknown tenants (401), whatever the credential", { timeout: 120_000 }, async () => {
    const requests: FuzzRequest[] = [];
    const ids = [
      ...sample(NAUGHTY, 80, 12).map((s) => encodeURIComponent(s)),
      ...sample(NAUGHTY, 30, 13),
      w.id.toUpperCase(), `${w.id}%00`, `${w.id}%20`, `%20${w.id}`, `${w.id}.`, `${w.id}%2F..`, `${w.id}%2F..%2F${w.other}`,
      "", "-", "a", "0".repeat(64), "a".repeat(5000), "%", "%%", "%zz", "..%2F..", "__proto__", "constructor",
    ];
    for (const [i, tenant] of ids.entries()) {
      for (const route of DATA_ROUTES.filter((r) => ["models", "chat", "metadata", "live"].includes(r.name))) {
        const headers: Record<string, string> = i % 3 === 0 ? { authorization: `Bearer ${w.key}` } : i % 3 === 1 ? { "x-api-key": w.otherKey } : {};
        requests.push({ label: `tenant #${i} ${JSON.stringify(tenant).slice(0, 40)} → ${route.name}`, path: `/t/${tenant}${route.path}`, init: routeRequest(route, headers) });
      }
    }
    const outcomes = await judge.sendAll(requests);
    for (const o of outcomes) {
      // 404: the path left the data plane (normalised away, or no tenant segment at all).
      if (o && ![401, 404].includes(o.status)) judge.flag(o.label, `expected 401 (or 404 off the data plane), got ${o.status}`);
    }
    judge.assertClean();
  });

  it("changed no stored state while refusing", { timeout: 120_000 }, async () => {
    expectUnchanged(await tenantState(w.id), before);
  });

  it("lets in exactly the credentials the contract accepts, with naughty but valid JWT claims", { timeout: 120_000 }, async () => {
    const jwt = await w.jwt({ sub: "fuzz-user" });
    const accepted: Cred[] = [
      { label: "bearer key", headers: { authorization: `Bearer ${w.key}` }, refusal: null },
      { label: "lower-case scheme", headers: { authorization: `bearer ${w.key}` }, refusal: null },
      { label: "upper-case scheme", headers: { authorization: `BEARER ${w.key}` }, refusal: null },
      { label: "tab after scheme", headers: { authorization: `Bearer\t${w.key}` }, refusal: null },
      { label: "padded", headers: { authorization: `  Bearer   ${w.key}   ` }, refusal: null },
      { label: "x-api-key", headers: { "x-api-key": w.key }, refusal: null },
      { label: "padded x-api-key", headers: { "x-api-key": ` ${w.key} ` }, refusal: null },
      { label: "jwt", headers: { authorization: `Bearer ${jwt}` }, refusal: null },
      { label: "narrow key", headers: { authorization: `Bearer ${w.narrowKey}` }, refusal: null },
    ];
    const subjects = [...sample(NAUGHTY.filter((s) => ASCII.test(s)), 60, 14), ...sample(NAUGHTY.filter((s) => !ASCII.test(s)), 1, 14)]// Subjects with control characters are refused by design (regressions.test.ts covers them).
      .filter((s) => s.length > 0 && s.length <= 256 && !/[\u0000-\u001f\u007f]/.test(s));
    for (const [i, s] of subjects.entries()) {
      const claims = i % 2 ? { sub: s, scope: `model:chat ${s}`, [s]: s } : { sub: s, scp: ["model:chat", s], name: s };
      accepted.push({ label: `naughty jwt claims #${i}`, headers: { authorization: `Bearer ${await w.jwt(claims)}` }, refusal: null });
    }
    const requests = requestsFor(accepted);
    const outcomes = await judge.sendAll(requests, 4);
    outcomes.forEach((o, i) => {
      if (!o) return;
      const { cred } = requests[i]!;
      const scoped = cred.label === "narrow key" || cred.label.startsWith("naughty jwt");
      const ok = o.status < 300 || (scoped && o.status === 403 && o.problem?.code === "forbidden");
      if (!ok) judge.flag(o.label, `expected acceptance, got ${o.status} ${o.text.slice(0, 120)}`);
    });
    judge.assertClean();
  });
});

/**
 * Hang-up check against `wrangler dev` (issue 8): 100 streams of 100 tokens at 20 ms a token, one
 * key each, 10 at a time; 64 clients abort after 2–21 content deltas, 36 read to the end. Prints
 * how many aborted streams were charged nothing or less than the deltas their client saw, and
 * how long until every slot was free.
 *
 *   node bench/stream-hangup.mjs [repository root, default this one]
 *
 * Run it against an older checkout (pass its root; it needs node_modules) to compare.
 */
import { fileURLToPath } from "node:url";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
const ROOT = process.argv[2] ?? fileURLToPath(new URL("..", import.meta.url));
const { startDemoOrigin } = await import(`${ROOT}/scripts/demo-origin/server.mjs`);
const { adminCall, freePort, startWrangler, waitForHealth } = await import(`${ROOT}/scripts/lib/local-warden.mjs`);
const ADMIN_TOKEN = randomBytes(24).toString("base64url");
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const persistDir = mkdtempSync(join(tmpdir(), "warden-hangup-"));
const wr = startWrangler({ port, inspectorPort: await freePort(), persistDir, vars: { ADMIN_TOKEN, MASTER_KEY: randomBytes(32).toString("base64"), ALLOW_LOOPBACK_ORIGINS: "true" }, cwd: ROOT });
try {
  await waitForHealth(base, wr, 150_000);
  const slow = await startDemoOrigin({ port: 0, tokenDelayMs: 20 });
  const tenant = { id: "streams", name: "s", models: [{ name: "chat", protocol: "openai", origins: [{ url: slow.url }], protection: { logprobs: { allow_logit_bias: true } } }], policy: { limits: { tokens_per_day: 10_000_000 } } };
  await adminCall(base, ADMIN_TOKEN, "POST", "/tenants", tenant);
  const keys = [];
  for (let i = 0; i < 100; i++) keys.push(await adminCall(base, ADMIN_TOKEN, "POST", "/tenants/streams/keys", { name: `k${i}` }));
  let deltas = 0;
  const body = JSON.stringify({ model: "chat", messages: [{ role: "user", content: "a long story" }], max_tokens: 100, stream: true, logit_bias: { "1": -100 } });
  const one = async (i) => {
    const abort = new AbortController();
    const hangUp = i < 64;
    const res = await fetch(`${base}/t/streams/v1/chat/completions`, { method: "POST", headers: { authorization: `Bearer ${keys[i].body.key}`, "content-type": "application/json" }, body, signal: abort.signal });
    const reader = res.body.getReader();
    const want = 2 + (i % 20);
    let seen = 0;
    const dec = new TextDecoder();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        seen += (dec.decode(value).match(/"content":"[^"]/g) ?? []).length;
        if (hangUp && seen >= want) { abort.abort(); break; }
      }
    } catch {}
    deltas += seen;
    return { key: `key:${keys[i].body.id}`, hangUp, seen };
  };
  const results = [];
  for (let b = 0; b < 100; b += 10) results.push(...(await Promise.all(Array.from({ length: 10 }, (_, j) => one(b + j)))));
  const deadline = Date.now() + 150_000; const tWait = Date.now();
  let u;
  do {
    const ur = await adminCall(base, ADMIN_TOKEN, "GET", "/tenants/streams/usage"); u = ur.body; if (!u?.principals) { await new Promise((r) => setTimeout(r, 1000)); continue; }
    if (u.principals.every((p) => p.in_flight === 0)) break;
    await new Promise((r) => setTimeout(r, 250));
  } while (Date.now() < deadline);
  const byKey = new Map(u.principals.map((p) => [p.principal, p]));
  const aborted = results.filter((r) => r.hangUp && byKey.has(r.key));
  const neverAdmitted = results.filter((r) => !byKey.has(r.key)).length;
  const zero = aborted.filter((r) => (byKey.get(r.key)?.tokens.day ?? 0) === 0).length;
  const under = aborted.filter((r) => (byKey.get(r.key)?.tokens.day ?? 0) < r.seen).length;
  console.log(JSON.stringify({ neverAdmitted, deltas, aborted: aborted.length, charged_zero: zero, charged_below_deltas_seen: under, in_flight: u.principals.reduce((s, p) => s + p.in_flight, 0),
    aborted_tokens: aborted.map((r) => byKey.get(r.key)?.tokens.day ?? 0).reduce((a, b) => a + b, 0), aborted_deltas: aborted.reduce((s, r) => s + r.seen, 0),
    completed_tokens_sample: results.filter((r) => !r.hangUp).slice(0, 3).map((r) => byKey.get(r.key)?.tokens.day) }));
  console.log(JSON.stringify({ principals: u.principals.length, ms_until_all_slots_free: Date.now() - tWait }));
  await slow.close();
} finally {
  await wr.stop();
  rmSync(persistDir, { recursive: true, force: true });
}

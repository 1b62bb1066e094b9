/// <reference types="node" />
/**
 * The `warden` CLI (cli/warden.mjs, npm bin) against a real Warden (`wrangler dev`) in front of
 * the demo origin: every command, its --json output, problem details on refusal and exit codes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDemoOrigin, type RunningOrigin } from "../../scripts/demo-origin/server.mjs";
import { verifyChain } from "../../cli/audit-chain.mjs";
import { ROOT, freePort, startWrangler, waitForHealth, type RunningWrangler } from "../../scripts/lib/local-warden.mjs";

const ADMIN_TOKEN = randomBytes(24).toString("base64url");
const MASTER_KEY = randomBytes(32).toString("base64");
const TENANT = "cli-co";

let origin: RunningOrigin;
let wrangler: RunningWrangler;
let dir: string;
let base: string;

interface AuditItem { seq: number; reason: string; hash: string }
interface Run { code: number; stdout: string; stderr: string }

function warden(args: string[], env: Record<string, string | undefined> = { WARDEN_URL: base, WARDEN_ADMIN_TOKEN: ADMIN_TOKEN }): Promise<Run> {
  const clean = { ...process.env, WARDEN_URL: undefined, WARDEN_ADMIN_TOKEN: undefined, ...env };
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, "cli", "warden.mjs"), ...args], { env: clean as NodeJS.ProcessEnv, timeout: 90_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === "number" ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

const file = (name: string, value: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
};

async function chat(key: string) {
  return fetch(`${base}/t/${TENANT}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "demo-chat", messages: [{ role: "user", content: "Tell me about the river." }], max_tokens: 60, seed: 3 }),
  });
}

beforeAll(async () => {
  origin = await startDemoOrigin({ port: 0 });
  dir = mkdtempSync(join(tmpdir(), "warden-cli-"));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  wrangler = startWrangler({ port, inspectorPort: await freePort(), persistDir: join(dir, "state"), vars: { ADMIN_TOKEN, MASTER_KEY, ALLOW_LOOPBACK_ORIGINS: "true" } });
  await waitForHealth(base, wrangler, 150_000);
});

afterAll(async () => {
  await wrangler?.stop();
  await origin?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("warden CLI against wrangler dev", () => {
  let keyId = "";
  let key = "";
  let answer = "";

  it("says what is missing (exit 2) and refuses a wrong token with the problem (exit 1)", async () => {
    const missing = await warden(["tenants", "list"], {});
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("WARDEN_URL is not set");
    const wrong = await warden(["tenants", "list"], { WARDEN_URL: base, WARDEN_ADMIN_TOKEN: "wrong" });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/401 unauthorized: The admin credential is invalid\. \(request [0-9a-f-]{36}\)/);
    expect(wrong.stderr).not.toContain("wrong");
    const usage = await warden(["tenants", "delete", TENANT]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("--yes");
  });

  it("creates a tenant; a bad document gets its field errors, a second create a conflict", async () => {
    const model = { name: "demo-chat", protocol: "openai", origins: [{ url: origin.url }], protection: { text_watermark: true } };
    const bad = await warden(["tenants", "create", "--file", file("bad.json", { id: TENANT, name: "CLI", models: [{ ...model, origins: [{ url: "ftp://x" }] }] })]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("400 invalid_request");
    expect(bad.stderr).toContain("models.0.origins.0.url:");
    const created = await warden(["tenants", "create", "--file", file("t.json", { id: TENANT, name: "CLI Co", models: [model] })]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain(`created tenant ${TENANT}`);
    const again = await warden(["tenants", "create", "--file", join(dir, "t.json")]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("409 conflict");
    const list = await warden(["tenants", "list", "--json"]);
    expect(JSON.parse(list.stdout).items.map((t: { id: string }) => t.id)).toContain(TENANT);
    expect((await warden(["tenants", "list"])).stdout).toMatch(new RegExp(`^${TENANT}\\s+CLI Co\\s+demo-chat`, "m"));
    const patched = await warden(["--json", "tenants", "update", TENANT, "--file", file("p.json", { policy: { limits: { requests_per_minute: 100 } } })]);
    expect(JSON.parse(patched.stdout).policy.limits.requests_per_minute).toBe(100);
  });

  it("issues a key once, and usage shows its request", async () => {
    const issued = await warden(["keys", "issue", TENANT, "--name", "cli", "--json"]);
    expect(issued.code, issued.stderr).toBe(0);
    ({ id: keyId, key } = JSON.parse(issued.stdout));
    const sentOn = new Date().toISOString().slice(0, 10);
    const res = await chat(key);
    expect(res.status).toBe(200);
    answer = ((await res.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]!.message.content;
    const usage = JSON.parse((await warden(["usage", TENANT, "--json"])).stdout);
    const table = (await warden(["usage", TENANT])).stdout;
    expect(usage.principals.find((p: { principal: string }) => p.principal === `key:${keyId}`).extraction.state).toBe("normal");
    // The day's counts (the JSON window and the table's requests column) hold the request until the
    // next 00:00 UTC: checked when no midnight fell between the request and the readings (else the month's).
    const readOn = new Date().toISOString().slice(0, 10);
    if (readOn === sentOn) {
      expect(usage.windows.day.requests).toBe(1);
      expect(table).toMatch(new RegExp(`key:${keyId}\\s+1\\s+\\d+\\s+0\\.000\\s+normal`));
    } else if (readOn.slice(0, 7) === sentOn.slice(0, 7)) expect(usage.windows.month.requests).toBe(1);
    // Usage over time: metrics are written up to 0.5 s after the answer, so poll (with a deadline).
    const deadline = Date.now() + 30_000;
    for (let requests = 0; requests !== 1; ) {
      expect(Date.now(), "the request in the hourly history").toBeLessThan(deadline);
      const h = JSON.parse((await warden(["usage", TENANT, "--history", "hour", "--json"])).stdout) as { buckets: Array<{ requests: number }> };
      expect(h.buckets).toHaveLength(48);
      requests = h.buckets.reduce((n, b) => n + b.requests, 0);
    }
    const daily = await warden(["usage", TENANT, "--history", "day"]);
    expect(daily.stdout).toMatch(/START\s+REQUESTS\s+TOKENS\s+COST\s+REFUSALS/);
    expect(daily.stdout).toMatch(/T00:00:00\.000Z\s+1\s+\d+/);
    const wrong = await warden(["usage", TENANT, "--history", "week"]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain("bucket");
  });

  it("attributes a watermarked answer (exit 0) and not a plain text (exit 3)", async () => {
    const yes = await warden(["watermark", "verify", TENANT, "--text", answer]);
    expect(yes.code, yes.stderr).toBe(0);
    expect(yes.stdout).toContain(`attributed to key:${keyId}`);
    const no = await warden(["watermark", "verify", TENANT, "--text", "A sentence nobody marked."]);
    expect(no.code).toBe(3);
    expect(no.stdout).toContain("not attributed");
  });

  it("resets a principal; an unknown one is a problem", async () => {
    const ok = await warden(["principal", "reset", TENANT, `key:${keyId}`]);
    expect(ok.code, ok.stderr).toBe(0);
    const bad = await warden(["principal", "reset", TENANT, "nobody"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("404 not_found");
  });

  it("verifies the tenant's and the global audit chain here, and an anchor", async () => {
    // Audit entries are written after the response (waitUntil): wait for the three so far.
    let report: { valid: boolean; checked: number; head: { seq: number; hash: string } } | undefined;
    for (const deadline = Date.now() + 60_000; !report || report.checked < 3; ) {
      if (Date.now() > deadline) throw new Error(`audit entries missing: ${JSON.stringify(report)}`);
      const local = await warden(["audit", "verify", TENANT, "--json"]);
      expect(local.code, local.stderr).toBe(0);
      report = JSON.parse(local.stdout);
    }
    expect(report).toMatchObject({ valid: true, warden_chain_valid: true });
    const anchored = await warden(["audit", "verify", TENANT, "--expect", `${report.head.seq}:${report.head.hash}`]);
    expect(anchored.code).toBe(0);
    expect(anchored.stdout).toContain("chain valid");
    const forged = await warden(["audit", "verify", TENANT, "--expect", `1:${"0".repeat(64)}`]);
    expect(forged.code).toBe(3);
    expect(forged.stdout).toContain("anchor_mismatch");
    expect((await warden(["audit", "verify"])).code).toBe(0);
  });

  it("catches an edited, a removed and a cut-off entry in the fetched log", async () => {
    const page = (await (await fetch(`${base}/admin/v1/tenants/${TENANT}/audit`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json()) as { items: AuditItem[]; head: { seq: number; hash: string } };
    expect(verifyChain(page.items, page.head)).toMatchObject({ valid: true });
    const edited = page.items.map((e) => (e.seq === 2 ? { ...e, reason: "someone else" } : e));
    expect(verifyChain(edited, page.head)).toMatchObject({ valid: false, problem: "hash_mismatch", seq: 2 });
    expect(verifyChain(page.items.filter((e) => e.seq !== 2), page.head)).toMatchObject({ valid: false, problem: "missing_entry", seq: 2 });
    expect(verifyChain(page.items.filter((e) => e.seq !== page.head.seq), page.head)).toMatchObject({ valid: false, problem: "head_mismatch" });
  });

  it("revokes the key; the next request is refused", async () => {
    const revoked = await warden(["keys", "revoke", TENANT, keyId]);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect((await chat(key)).status).toBe(401);
    const list = JSON.parse((await warden(["keys", "list", TENANT, "--json"])).stdout);
    expect(list.items[0].revoked_at).toBeTruthy();
    const gone = await warden(["tenants", "delete", TENANT, "--yes"]);
    expect(gone.code).toBe(0);
    expect((await warden(["tenants", "get", TENANT])).code).toBe(1);
  });
});

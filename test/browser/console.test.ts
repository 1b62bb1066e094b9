/// <reference types="node" />
/**
 * The admin console in a real browser (Debian's chromium driven by playwright-core) against a
 * real Warden (`wrangler dev`) in front of the demo origin: sign in, create a tenant (first with
 * an origin the schema refuses, shown at the field), issue a key, send a request with it, see it
 * in usage (the window and the hourly chart), revoke the key, see the next request refused.
 * Every wait is on a condition.
 *
 * With WARDEN_SCREENSHOTS=1 each page is saved to docs/screenshots/ (else to a temporary folder).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type Page } from "playwright-core";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDemoOrigin, type RunningOrigin } from "../../scripts/demo-origin/server.mjs";
import { ROOT, freePort, startWrangler, waitForHealth, type RunningWrangler } from "../../scripts/lib/local-warden.mjs";
import { chromiumPath, until } from "./chromium";
import { SignJWT, importJWK } from "jose";
import { startJwksServer, type JwksServer } from "../helpers/jwks-server";

const ADMIN_TOKEN = randomBytes(24).toString("base64url");
const MASTER_KEY = randomBytes(32).toString("base64");
const TENANT = "browser-co";
// Markup in a tenant's name must show as text: Preact escapes it, and the CSP would stop it anyway.
const NAME = 'Browser Co <img src=x onerror="alert(1)">';

let origin: RunningOrigin;
let jwks: JwksServer;
const ADMIN_JWT = { ADMIN_JWT_ISSUER: "https://admin-idp.test", ADMIN_JWT_AUDIENCE: "warden-admin" };
let wrangler: RunningWrangler;
let persistDir: string;
let base: string;
let browser: Browser;
let page: Page;
const shots = process.env.WARDEN_SCREENSHOTS === "1" ? join(ROOT, "docs", "screenshots") : mkdtempSync(join(tmpdir(), "warden-shots-"));
const problems: string[] = [];
const requestedUrls: string[] = [];

beforeAll(async () => {
  origin = await startDemoOrigin({ port: 0 });
  jwks = await startJwksServer();
  persistDir = mkdtempSync(join(tmpdir(), "warden-browser-"));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  wrangler = startWrangler({ port, inspectorPort: await freePort(), persistDir, vars: { ADMIN_TOKEN, MASTER_KEY, ALLOW_LOOPBACK_ORIGINS: "true", ...ADMIN_JWT, ADMIN_JWKS_URL: `${jwks.url}/jwks.json` } });
  await waitForHealth(base, wrangler, 150_000);
  browser = await chromium.launch({ executablePath: chromiumPath(), args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: base });
  page = await context.newPage();
  page.setDefaultTimeout(60_000);
  // A CSP violation or a script error fails the test: the console must run under its own policy.
  page.on("console", (m) => { if (m.type() === "error") problems.push(m.text()); });
  page.on("pageerror", (e) => problems.push(String(e)));
  page.on("dialog", (d) => { problems.push(`dialog: ${d.message()}`); void d.dismiss(); });
  page.on("request", (r) => requestedUrls.push(r.url()));
  mkdirSync(shots, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await wrangler?.stop();
  await origin?.close();
  await jwks?.close();
  if (persistDir) rmSync(persistDir, { recursive: true, force: true });
});

const shot = (name: string) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });

async function chat(key: string, content: string) {
  return fetch(`${base}/t/${TENANT}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "demo-chat", messages: [{ role: "user", content }], max_tokens: 60, seed: 3 }),
  });
}

async function open(hash: string, heading: string | RegExp) {
  await page.goto(`${base}/admin/${hash}`);
  await page.getByRole("heading", { level: 2, name: heading }).waitFor();
}

describe("admin console in chromium", () => {
  let key = "";
  let keyId = "";
  let answer = "";

  it("refuses a wrong token and signs in with the admin token", async () => {
    await page.goto(`${base}/admin/`);
    await shot("sign-in");
    await page.getByLabel("Admin token or admin JWT").fill("not-the-token");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").filter({ hasText: "401" }).waitFor();
    await page.getByLabel("Admin token or admin JWT").fill(ADMIN_TOKEN);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Tenants" }).waitFor();
    expect(page.url()).not.toContain(ADMIN_TOKEN);
  });

  it("shows the schema's errors at the field, then creates the tenant", async () => {
    await page.getByRole("button", { name: "New tenant" }).click();
    await page.locator('input[name="id"]').fill(TENANT);
    await page.locator('input[name="name"]').fill(NAME);
    await page.getByRole("button", { name: "+ Add model" }).click();
    await page.locator('input[name="models.0.name"]').fill("demo-chat");
    await page.locator('input[name="models.0.origins.0.url"]').fill("ftp://not-an-origin");
    await page.locator('textarea[name="policy.limits"]').fill('{ "burst": -5 }');
    await page.getByRole("button", { name: "Create tenant" }).click();
    // Each error sits right under its own input, as the admin API's problem+json named it.
    const urlField = page.locator("label.field", { has: page.locator('input[name="models.0.origins.0.url"]') });
    await urlField.locator(".field-errors li").first().waitFor();
    const limitsField = page.locator("label.field", { has: page.locator('textarea[name="policy.limits"]') });
    expect(await limitsField.locator(".field-errors").innerText()).toContain("burst");
    await shot("tenant-form-errors");

    await page.locator('input[name="models.0.origins.0.url"]').fill(origin.url);
    await page.locator('textarea[name="policy.limits"]').fill('{ "requests_per_minute": 600, "burst": 60 }');
    await page.locator('textarea[name="models.0.rest"]').fill('{ "protection": { "text_watermark": true, "receipts": true } }');
    await page.getByRole("button", { name: "Create tenant" }).click();
    await page.getByRole("heading", { name: `Edit ${TENANT}` }).waitFor();
    await shot("tenant-edit");
    await open("#/tenants", "Tenants");
    await page.getByRole("link", { name: TENANT }).waitFor();
    expect(await page.locator("table.list td", { hasText: "Browser Co" }).innerText()).toBe(NAME);
    expect(await page.locator("main img").count()).toBe(0);
    await shot("tenants");
  });

  it("issues a key, shown once with a copy button", async () => {
    await open(`#/keys/${TENANT}`, `Keys of ${TENANT}`);
    await page.locator('input[name="name"]').fill("browser-test");
    await page.locator('input[name="limits"]').fill('{ "requests_per_minute": 0 }');
    await page.getByRole("button", { name: "Issue key" }).click();
    const limitsField = page.locator("label.field", { has: page.locator('input[name="limits"]') });
    expect(await limitsField.locator(".field-errors li").first().innerText()).toContain("requests_per_minute");
    await page.locator('input[name="limits"]').fill('{ "requests_per_minute": 600 }');
    await page.getByRole("button", { name: "Issue key" }).click();
    const secret = page.getByLabel("New API key");
    await secret.waitFor();
    key = await secret.inputValue();
    expect(key.length).toBeGreaterThan(20);
    await page.getByRole("button", { name: "Copy" }).click();
    await page.getByRole("button", { name: "Copied" }).waitFor();
    expect(await page.evaluate("navigator.clipboard.readText()")).toBe(key);
    keyId = (await page.locator("table.keys tbody tr").first().getAttribute("data-key"))!;
    await shot("keys-issued");
  });

  it("sends a request with the key and sees it in usage and principals", async () => {
    const sentOn = new Date().toISOString().slice(0, 10);
    const res = await chat(key, "Tell me about the river and the old mill by the bridge.");
    expect(res.status, await res.clone().text()).toBe(200);
    answer = ((await res.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]!.message.content;
    await open(`#/usage/${TENANT}`, `Usage of ${TENANT}`);
    // The page refreshes every 5 s (metrics are written up to 0.5 s after the answer): wait for the
    // day window, then for the hourly chart's one bar, in the hour of the request (or the next, at an hour's turn).
    // The month counts the request in every case; the day only until the next 00:00 UTC, so the
    // day's count is checked when no midnight fell between the request and the page showing it.
    await page.locator('tr[data-window="month"] td:nth-child(3)', { hasText: /^1$/ }).waitFor();
    if (new Date().toISOString().slice(0, 10) === sentOn) expect(await page.locator('tr[data-window="day"] td:nth-child(3)').innerText()).toBe("1");
    const requests = page.locator('figure[data-chart="Requests per hour"][data-total="1"] g.bar');
    await requests.locator("rect").waitFor();
    expect(await requests.count()).toBe(1);
    expect(await requests.getAttribute("data-value")).toBe("1");
    expect(Date.now() - Date.parse((await requests.getAttribute("data-start"))!)).toBeLessThan(2 * 3_600_000);
    await page.locator('figure[data-chart="Tokens per hour"] g.bar rect').waitFor();
    await open(`#/principals/${TENANT}`, `Principals of ${TENANT}`);
    const row = page.locator(`tr[data-principal="key:${keyId}"]`);
    await row.waitFor();
    expect(await row.innerText()).toContain("normal");
    await row.getByRole("button", { name: "Reset" }).click();
    await page.getByRole("status").filter({ hasText: `key:${keyId}` }).waitFor();
    await shot("principals");
  });

  it("attributes the answer's text to the key through the watermark check", async () => {
    expect(answer).toMatch(/[\uFE00-\uFE0F\u{E0100}-\u{E01EF}]/u);
    await open(`#/watermark/${TENANT}`, `Watermark check for ${TENANT}`);
    await page.locator('textarea[name="text"]').fill(answer);
    expect(await page.locator('textarea[name="text"]').inputValue()).toBe(answer);
    await page.getByRole("button", { name: "Check" }).click();
    const result = page.locator("dl.result");
    await result.waitFor();
    expect(await result.getAttribute("data-attributed")).toBe("true");
    expect(await result.innerText()).toContain(`key:${keyId}`);
    await shot("watermark");
  });

  it("edits the policy to block every input; the block shows in screening and usage", async () => {
    await open(`#/tenants/${TENANT}`, `Edit ${TENANT}`);
    await page.locator('textarea[name="policy.screening"]').fill('{ "mode": "block", "threshold": 0 }');
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
    const refused = await chat(key, "Anything at all.");
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { code: string }).code).toBe("input_rejected");
    // The audit entry and the metrics are written after the response: reload until they show.
    await open(`#/screening/${TENANT}`, `Screening of ${TENANT}`);
    await until("the screening block in the console", async () => {
      if ((await page.locator('tr[data-type="block"]').count()) && (await page.locator("table.verdicts td").nth(2).innerText()) === "1") return true;
      await page.reload();
      await page.locator("[data-chain]").waitFor();
      return false;
    });
    await shot("screening");
    await open(`#/usage/${TENANT}`, `Usage of ${TENANT}`);
    await page.locator("table.refusals td", { hasText: "input_rejected" }).waitFor();
    const refusals = page.locator('figure[data-chart="Refusals per hour, by code"]');
    await refusals.locator("g.bar rect").waitFor();
    expect(await refusals.locator(".legend").innerText()).toBe("input_rejected");
    await shot("usage");
    // By day: the answered request and the refused one, in today's bar.
    await page.locator('select[name="range"]').selectOption("day");
    await page.locator('figure[data-chart="Requests per day"][data-total="2"] g.bar rect').waitFor();
  });

  it("revokes the key; the next request is refused", async () => {
    await open(`#/keys/${TENANT}`, `Keys of ${TENANT}`);
    const row = page.locator(`tr[data-key="${keyId}"]`);
    await row.getByRole("button", { name: "Revoke" }).click();
    await row.getByRole("button", { name: "Confirm revoke" }).click();
    await row.locator(".badge.bad").waitFor();
    await shot("keys-revoked");
    const res = await chat(key, "Still there?");
    expect(res.status).toBe(401);
  });

  it("shows the audit log with a valid chain", async () => {
    await open(`#/audit/${TENANT}`, `Audit log: ${TENANT}`);
    await page.locator('[data-chain="valid"]').waitFor();
    await until("the key's revocation in the audit log", async () => {
      if (await page.locator('tr[data-type="key.revoked"]').count()) return true;
      await page.reload();
      await page.locator("[data-chain]").waitFor();
      return false;
    });
    await shot("audit");
  });

  it("signs out (the tab forgets everything) and signs in again with an admin JWT", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByLabel("Admin token or admin JWT").waitFor();
    expect(await page.evaluate("sessionStorage.length")).toBe(0);
    const jwt = await new SignJWT({})
      .setProtectedHeader({ alg: "ES256", kid: jwks.privateJwk.kid! })
      .setIssuer(ADMIN_JWT.ADMIN_JWT_ISSUER)
      .setAudience(ADMIN_JWT.ADMIN_JWT_AUDIENCE)
      .setSubject("ops@example")
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(await importJWK(jwks.privateJwk, "ES256"));
    await page.getByLabel("Admin token or admin JWT").fill(jwt);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("button", { name: "Sign out" }).waitFor();
    await open("#/tenants", "Tenants");
    await page.getByRole("link", { name: TENANT }).waitFor();
    expect(requestedUrls.some((u) => u.includes(jwt))).toBe(false);
  });

  it("ran without a script error or CSP violation, and never put the token in a URL", () => {
    expect(problems.filter((p) => !/status of 40[014]/.test(p))).toEqual([]);
    expect(requestedUrls.some((u) => u.includes(ADMIN_TOKEN))).toBe(false);
    expect(requestedUrls.every((u) => u.startsWith(base))).toBe(true);
  });
});

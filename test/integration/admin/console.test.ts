/**
 * `GET /admin/` serves the admin console from the Worker itself, under a strict CSP, without a
 * credential (the page holds no secret) and without opening the admin API.
 */
import { describe, expect, it } from "vitest";
import { call } from "../../helpers/warden";

describe("admin console", () => {
  it("serves the page with a strict CSP and no inline script", async () => {
    const res = await call("/admin/");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain("unsafe-inline");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    const html = await res.text();
    // Every script is an external file of this origin; no inline code, no CDN.
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect((body ?? "").trim()).toBe("");
      expect(attrs).toMatch(/src="\/admin\/app\.js"/);
    }
    expect(html).not.toMatch(/https?:\/\//);
  });

  it("serves its script and style bundled in the Worker", async () => {
    const js = await call("/admin/app.js");
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(js.headers.get("x-content-type-options")).toBe("nosniff");
    expect((await js.text()).length).toBeGreaterThan(5000);
    const css = await call("/admin/app.css");
    expect(css.status).toBe(200);
    expect(css.headers.get("content-type")).toMatch(/^text\/css/);
  });

  it("leaves the admin API closed without a credential", async () => {
    const api = await call("/admin/v1/tenants");
    expect(api.status).toBe(401);
    const other = await call("/admin/nothing-here");
    expect(other.status).toBe(404);
    expect(other.headers.get("content-type")).toBe("application/problem+json");
  });
});

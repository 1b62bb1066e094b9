import { Hono } from "hono";
import type { RootEnv } from "../context";
import { APP_CSS, APP_JS, INDEX_HTML } from "./assets.generated";

/**
 * `GET /admin/` (CONTRACT §7): the admin console, built from console/ by scripts/build-console.mjs
 * into the Worker itself (no CDN, no asset binding). The page and its two files hold no secret, so
 * they are served without a credential; everything they show comes from /admin/v1 with the token
 * the operator types in. The CSP allows only this origin's script and style, no inline code, no
 * framing (clickjacking), no form posts elsewhere, and connections to this origin only.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const SECURITY_HEADERS = {
  "content-security-policy": CONSOLE_CSP,
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
  // Small files that change with each deploy: revalidate rather than serve a stale console.
  "cache-control": "no-cache",
};

export const consoleRoutes = new Hono<RootEnv>();

// Full paths, mounted at the root. The page is `/admin/` (CONTRACT §7); Hono's strict routing
// leaves `/admin` to the 404 problem.
consoleRoutes.get("/admin/", (c) => c.body(INDEX_HTML, 200, { ...SECURITY_HEADERS, "content-type": "text/html; charset=utf-8" }));
consoleRoutes.get("/admin/app.js", (c) => c.body(APP_JS, 200, { ...SECURITY_HEADERS, "content-type": "text/javascript; charset=utf-8" }));
consoleRoutes.get("/admin/app.css", (c) => c.body(APP_CSS, 200, { ...SECURITY_HEADERS, "content-type": "text/css; charset=utf-8" }));

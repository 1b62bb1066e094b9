import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { html } from "./html.js";
import { call, hasToken, signIn, signOut } from "./api.js";
import { Problem } from "./ui.js";
import { go, NEW_TENANT } from "./nav.js";

const PICKED = "warden.tenant";
import { TenantsPage } from "./pages/tenants.js";
import { KeysPage } from "./pages/keys.js";
import { UsagePage } from "./pages/usage.js";
import { PrincipalsPage } from "./pages/principals.js";
import { AuditPage } from "./pages/audit.js";
import { ScreeningPage } from "./pages/screening.js";
import { WatermarkPage } from "./pages/watermark.js";

/**
 * The admin console: a hash router (`#/page/tenant`; the hash never holds a secret), a tenant
 * picker shared by the tenant-scoped pages, and the sign-in gate.
 */
const PAGES = [
  ["tenants", "Tenants", TenantsPage],
  ["keys", "Keys", KeysPage],
  ["usage", "Usage", UsagePage],
  ["principals", "Principals", PrincipalsPage],
  ["audit", "Audit log", AuditPage],
  ["screening", "Screening", ScreeningPage],
  ["watermark", "Watermark", WatermarkPage],
];

function readHash() {
  const [page = "tenants", tenant = "", ...rest] = location.hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent);
  return { page: PAGES.some(([p]) => p === page) ? page : "tenants", tenant, rest };
}


function SignIn({ onDone }) {
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  async function submit(e) {
    e.preventDefault();
    const value = new FormData(e.currentTarget).get("token").trim();
    setBusy(true);
    signIn(value);
    try {
      await call("GET", "/tenants?limit=1");
      onDone();
    } catch (err) {
      signOut();
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return html`<main class="signin">
    <h1>Warden</h1>
    <form onSubmit=${submit} autocomplete="off">
      <label>Admin token or admin JWT
        <input name="token" type="password" required autofocus spellcheck="false" />
      </label>
      <${Problem} error=${error} />
      <button type="submit" class="primary" disabled=${busy}>Sign in</button>
      <p class="muted">The token stays in this tab (sessionStorage) and is sent only in the Authorization header.</p>
    </form>
  </main>`;
}

function TenantPicker({ tenants, current, page }) {
  return html`<label class="picker">Tenant
    <select name="tenant" value=${current} onChange=${(e) => go(page, e.currentTarget.value)}>
      <option value="">—</option>
      ${tenants.map((t) => html`<option value=${t.id}>${t.id}</option>`)}
    </select>
  </label>`;
}

function App() {
  const [signedIn, setSignedIn] = useState(hasToken());
  const [route, setRoute] = useState(readHash());
  const [tenants, setTenants] = useState([]);
  const [error, setError] = useState(null);
  const refreshTenants = () =>
    call("GET", "/tenants?limit=500").then((r) => setTenants(r.items), (err) => (err.status === 401 ? setSignedIn(false) : setError(err)));
  useEffect(() => {
    const onHash = () => setRoute(readHash());
    addEventListener("hashchange", onHash);
    return () => removeEventListener("hashchange", onHash);
  }, []);
  useEffect(() => {
    if (signedIn) refreshTenants();
  }, [signedIn]);
  if (!signedIn) return html`<${SignIn} onDone=${() => setSignedIn(true)} />`;
  const [, , Page] = PAGES.find(([p]) => p === route.page);
  // The tenant a tenant-scoped page shows: the one in the hash, else the last one picked, else the first.
  if (route.tenant && route.tenant !== NEW_TENANT) sessionStorage.setItem(PICKED, route.tenant);
  const stored = sessionStorage.getItem(PICKED);
  const picked = tenants.some((t) => t.id === stored) ? stored : tenants[0]?.id || "";
  const tenant = route.page === "tenants" ? route.tenant : route.tenant || picked;
  return html`<div class="shell">
    <header>
      <strong class="brand">Warden</strong>
      <nav>${PAGES.map(([p, label]) => html`<a href=${p === "tenants" ? "#/tenants" : `#/${p}/${encodeURIComponent(picked)}`} class=${p === route.page ? "active" : ""}>${label}</a>`)}</nav>
      <${TenantPicker} tenants=${tenants} current=${route.page === "tenants" ? picked : tenant} page=${route.page === "tenants" ? "keys" : route.page} />
      <button class="link" onClick=${() => { signOut(); setSignedIn(false); }}>Sign out</button>
    </header>
    <main><${Problem} error=${error} /><${Page} key=${`${route.page}/${tenant}`} tenant=${tenant} rest=${route.rest} tenants=${tenants} refreshTenants=${refreshTenants} /></main>
  </div>`;
}

render(html`<${App} />`, document.getElementById("app"));

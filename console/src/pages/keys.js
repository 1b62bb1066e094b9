import { useEffect, useState } from "preact/hooks";
import { html } from "../html.js";
import { call, enc } from "../api.js";
import { FieldErrors, Loading, Problem, errorsByPath, fmtTime, messagesAt } from "../ui.js";

/** API keys: issue (the key is shown once, here, with a copy button), list, revoke. */
export function KeysPage({ tenant }) {
  const [keys, setKeys] = useState(null);
  const [error, setError] = useState(null);
  const [issued, setIssued] = useState(null);
  const [problem, setProblem] = useState(null);
  const [confirm, setConfirm] = useState(null);
  const load = () => call("GET", `/tenants/${enc(tenant)}/keys`).then((r) => setKeys(r.items), setError);
  useEffect(() => { if (tenant) load(); }, [tenant]);
  if (!tenant) return html`<p class="muted">Pick a tenant.</p>`;

  async function issue(e) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const scopes = String(form.get("scopes")).split(/[\s,]+/).filter(Boolean);
    const expires = String(form.get("expires_at"));
    const limitsText = String(form.get("limits")).trim();
    let limits;
    try {
      limits = limitsText ? JSON.parse(limitsText) : undefined;
    } catch (err) {
      return setProblem({ status: 0, code: "invalid_json", message: "Limits are not valid JSON.", errors: [{ path: "limits", message: `not valid JSON: ${err.message}` }] });
    }
    const body = { name: String(form.get("name")), ...(scopes.length ? { scopes } : {}), ...(expires ? { expires_at: new Date(expires).toISOString() } : {}), ...(limits ? { limits } : {}) };
    try {
      setIssued(await call("POST", `/tenants/${enc(tenant)}/keys`, body));
      setProblem(null);
      e.target.reset();
      load();
    } catch (err) {
      setProblem(err);
    }
  }
  async function revoke(id) {
    try {
      await call("DELETE", `/tenants/${enc(tenant)}/keys/${enc(id)}`);
      setConfirm(null);
      load();
    } catch (err) {
      setError(err);
    }
  }
  const errors = errorsByPath(problem);
  return html`<section>
    <h2>Keys of ${tenant}</h2>
    <${Problem} error=${error} />
    <form class="row issue" onSubmit=${issue} novalidate>
      <label class="field">Name <input name="name" required placeholder="backend-prod" /><${FieldErrors} messages=${messagesAt(errors, "name")} /></label>
      <label class="field">Scopes (models; empty: all) <input name="scopes" placeholder="llama-3-8b, *" /><${FieldErrors} messages=${messagesAt(errors, "scopes", { prefix: true })} /></label>
      <label class="field">Expires <input name="expires_at" type="datetime-local" /><${FieldErrors} messages=${messagesAt(errors, "expires_at")} /></label>
      <label class="field">Limits (JSON, optional) <input name="limits" placeholder='{"requests_per_minute": 60}' spellcheck="false" />
        <${FieldErrors} messages=${messagesAt(errors, "limits", { prefix: true })} /></label>
      <button type="submit" class="primary">Issue key</button>
    </form>
    ${problem && !problem.errors.length ? html`<${Problem} error=${problem} />` : null}
    ${issued ? html`<${IssuedKey} issued=${issued} onDismiss=${() => setIssued(null)} />` : null}
    ${!keys ? html`<${Loading} />` : html`<table class="list keys">
      <thead><tr><th>Id</th><th>Name</th><th>Scopes</th><th>Created</th><th>Expires</th><th>State</th><th></th></tr></thead>
      <tbody>${keys.map((k) => html`<tr data-key=${k.id}>
        <td><code>${k.id}</code></td><td>${k.name}</td><td>${k.scopes.join(", ")}</td>
        <td>${fmtTime(k.created_at)}</td><td>${fmtTime(k.expires_at)}</td>
        <td>${k.revoked_at ? html`<span class="badge bad">revoked ${fmtTime(k.revoked_at)}</span>` : html`<span class="badge good">active</span>`}</td>
        <td>${k.revoked_at ? null : confirm === k.id
          ? html`<button class="danger" onClick=${() => revoke(k.id)}>Confirm revoke</button> <button class="link" onClick=${() => setConfirm(null)}>Cancel</button>`
          : html`<button class="link danger" onClick=${() => setConfirm(k.id)}>Revoke</button>`}</td>
      </tr>`)}</tbody>
    </table>`}
  </section>`;
}

function IssuedKey({ issued, onDismiss }) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    await navigator.clipboard.writeText(issued.key);
    setCopied(true);
  }
  return html`<div class="issued" role="status">
    <p><strong>Key ${issued.id} issued.</strong> Copy it now: it is shown only this once and Warden keeps only its hash.</p>
    <div class="row"><input class="secret" readonly value=${issued.key} aria-label="New API key" onFocus=${(e) => e.currentTarget.select()} />
      <button onClick=${copy}>${copied ? "Copied" : "Copy"}</button>
      <button class="link" onClick=${onDismiss}>Done</button></div>
  </div>`;
}

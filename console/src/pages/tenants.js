import { useEffect, useState } from "preact/hooks";
import { html } from "../html.js";
import { call, enc } from "../api.js";
import { Loading, Problem } from "../ui.js";
import { go, NEW_TENANT } from "../nav.js";
import { TenantForm } from "./tenant-form.js";
import { mergePatchFor } from "../patch.js";

/** Tenants: the list; `#/tenants/*new` creates one, `#/tenants/{id}` edits one. */
export function TenantsPage({ tenant, tenants, refreshTenants }) {
  if (tenant === NEW_TENANT) {
    return html`<${TenantForm}
      onSave=${async (doc) => { const t = await call("POST", "/tenants", doc); await refreshTenants(); go("tenants", t.id); }}
      onCancel=${() => go("tenants")} />`;
  }
  if (tenant) return html`<${EditTenant} id=${tenant} refreshTenants=${refreshTenants} />`;
  return html`<section>
    <div class="title-row"><h2>Tenants</h2><button class="primary" onClick=${() => go("tenants", NEW_TENANT)}>New tenant</button></div>
    ${tenants.length === 0 ? html`<p class="muted">No tenants yet.</p>` : html`<table class="list">
      <thead><tr><th>Id</th><th>Name</th><th>Models</th><th>Screening</th><th>Limits</th></tr></thead>
      <tbody>${tenants.map((t) => html`<tr>
        <td><a href=${`#/tenants/${enc(t.id)}`}>${t.id}</a></td>
        <td>${t.name}</td>
        <td>${t.models.map((m) => `${m.name} (${m.protocol})`).join(", ") || "—"}</td>
        <td>${t.policy.screening.mode}</td>
        <td class="muted">${Object.entries(t.policy.limits).filter(([, v]) => typeof v === "number").map(([k, v]) => `${k} ${v}`).join(", ") || "none"}</td>
      </tr>`)}</tbody>
    </table>`}
  </section>`;
}

function EditTenant({ id, refreshTenants }) {
  const [tenant, setTenant] = useState(null);
  const [error, setError] = useState(null);
  const [saved, setSaved] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  useEffect(() => { call("GET", `/tenants/${enc(id)}`).then(setTenant, setError); }, [id]);
  if (error) return html`<${Problem} error=${error} />`;
  if (!tenant) return html`<${Loading} />`;
  async function remove() {
    try {
      await call("DELETE", `/tenants/${enc(id)}`);
      await refreshTenants();
      go("tenants");
    } catch (err) {
      setError(err);
    }
  }
  return html`<section>
    ${saved ? html`<p class="notice" role="status">Saved.</p>` : null}
    <${TenantForm} key=${tenant} tenant=${tenant}
      onSave=${async ({ name, models, policy }) => {
        // Fields removed in the form are sent as null, so the merge patch removes them too.
        const patch = mergePatchFor({ name: tenant.name, models: tenant.models, policy: tenant.policy }, { name, models, policy });
        setTenant(await call("PATCH", `/tenants/${enc(id)}`, patch));
        setSaved(true);
        await refreshTenants();
      }}
      onCancel=${() => go("tenants")} />
    <div class="danger-zone">
      ${confirmDelete
        ? html`<span>Delete ${id}, its keys and all its state?</span> <button class="danger" onClick=${remove}>Delete for good</button> <button class="link" onClick=${() => setConfirmDelete(false)}>Keep it</button>`
        : html`<button class="link danger" onClick=${() => setConfirmDelete(true)}>Delete tenant…</button>`}
    </div>
  </section>`;
}

import { useState } from "preact/hooks";
import { html } from "../html.js";
import { enc } from "../api.js";
import { AuditList } from "./audit-list.js";

/** The tenant's audit log, or the global admin chain (tenant creations and deletions). */
export function AuditPage({ tenant }) {
  const [global, setGlobal] = useState(!tenant);
  return html`<section>
    <div class="title-row"><h2>Audit log: ${global ? "global" : tenant}</h2>
      <div class="tabs">
        <button class=${global ? "" : "active"} disabled=${!tenant} onClick=${() => setGlobal(false)}>Tenant</button>
        <button class=${global ? "active" : ""} onClick=${() => setGlobal(true)}>Global</button>
      </div></div>
    <${AuditList} key=${global ? "global" : tenant} path=${global ? "/audit" : `/tenants/${enc(tenant)}/audit`} />
  </section>`;
}

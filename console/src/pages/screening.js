import { useEffect, useState } from "preact/hooks";
import { html } from "../html.js";
import { call, enc } from "../api.js";
import { parseExposition, sumBy } from "../metrics.js";
import { fmtNumber } from "../ui.js";
import { AuditList } from "./audit-list.js";

/** Screening: the tenant's policy, verdict counts from the metrics, and the blocks in the audit log. */
export function ScreeningPage({ tenant, tenants }) {
  const [verdicts, setVerdicts] = useState(null);
  useEffect(() => {
    if (tenant) call("GET", "/metrics").then((t) => setVerdicts(sumBy(parseExposition(t), "warden_screening_total", tenant, "verdict")), () => setVerdicts({}));
  }, [tenant]);
  if (!tenant) return html`<p class="muted">Pick a tenant.</p>`;
  const policy = tenants.find((t) => t.id === tenant)?.policy.screening;
  return html`<section>
    <h2>Screening of ${tenant}</h2>
    ${policy ? html`<p>Mode <strong>${policy.mode}</strong>, threshold <strong>${policy.threshold}</strong>, on error <strong>${policy.on_error}</strong>.${" "}
      <a href=${`#/tenants/${enc(tenant)}`}>Change</a></p>` : null}
    <table class="list verdicts"><thead><tr><th>pass</th><th>flag</th><th>block</th></tr></thead>
      <tbody><tr>${["pass", "flag", "block"].map((v) => html`<td class="num">${fmtNumber(verdicts?.[v] ?? 0)}</td>`)}</tr></tbody></table>
    <h3>Blocked inputs (audit log; repeats of one principal are logged once a minute)</h3>
    <${AuditList} path=${`/tenants/${enc(tenant)}/audit`} filter=${(e) => e.type === "block" && e.reason.startsWith("input_rejected")} empty="No screening blocks in the loaded entries." />
  </section>`;
}

import { useEffect, useState } from "preact/hooks";
import { html } from "../html.js";
import { call, enc } from "../api.js";
import { Loading, Problem, fmtNumber, fmtTime, fmtUsd } from "../ui.js";

/** Principals (keys and JWT subjects): usage today, extraction score and state, and reset. */
export function PrincipalsPage({ tenant }) {
  const [usage, setUsage] = useState(null);
  const [error, setError] = useState(null);
  const [done, setDone] = useState(null);
  const load = () => call("GET", `/tenants/${enc(tenant)}/usage`).then(setUsage, setError);
  useEffect(() => { if (tenant) load(); }, [tenant]);
  if (!tenant) return html`<p class="muted">Pick a tenant.</p>`;
  async function reset(principal) {
    try {
      await call("POST", `/tenants/${enc(tenant)}/principals/${enc(principal)}/reset`);
      setDone(principal);
      load();
    } catch (err) {
      setError(err);
    }
  }
  const rows = usage?.principals ?? [];
  const hasCost = rows.some((r) => typeof r.cost === "object" || typeof r.cost === "number");
  const cost = (r) => (typeof r.cost === "number" ? r.cost : r.cost?.day);
  return html`<section>
    <div class="title-row"><h2>Principals of ${tenant}</h2><button onClick=${load}>Refresh</button></div>
    <${Problem} error=${error} />
    ${done ? html`<p class="notice" role="status">Extraction state of ${done} reset.</p>` : null}
    ${!usage ? html`<${Loading} />` : rows.length === 0 ? html`<p class="muted">No principal has sent a request yet.</p>` : html`<table class="list principals">
      <thead><tr><th>Principal</th><th>Requests today</th><th>Tokens today</th><th>Refused today</th>${hasCost ? html`<th>Cost today</th>` : null}<th>Extraction score</th><th>State</th><th></th></tr></thead>
      <tbody>${rows.map((r) => html`<tr data-principal=${r.principal}>
        <td><code>${r.principal}</code></td>
        <td class="num">${fmtNumber(r.requests?.day)}</td><td class="num">${fmtNumber(r.tokens?.day)}</td><td class="num">${fmtNumber(r.refused?.day)}</td>
        ${hasCost ? html`<td class="num">${fmtUsd(cost(r))}</td>` : null}
        <td><meter min="0" max="1" low="0.6" high="0.9" optimum="0" value=${r.extraction.score}></meter> ${r.extraction.score.toFixed(3)}</td>
        <td><span class=${`badge ${r.extraction.state === "normal" ? "good" : r.extraction.state === "blocked" ? "bad" : "warn"}`}>${r.extraction.state}</span>
          ${r.extraction.until ? html` <small>until ${fmtTime(r.extraction.until)}</small>` : null}</td>
        <td><button class="link" onClick=${() => reset(r.principal)}>Reset</button></td>
      </tr>`)}</tbody>
    </table>`}
  </section>`;
}

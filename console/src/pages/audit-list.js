import { useEffect, useState } from "preact/hooks";
import { html } from "../html.js";
import { call } from "../api.js";
import { Loading, Problem, fmtTime } from "../ui.js";

/** Pages through an audit log (newest first) and shows the chain's status. */
export function AuditList({ path, filter = () => true, empty = "No entries." }) {
  const [page, setPage] = useState(null);
  const [items, setItems] = useState([]);
  const [error, setError] = useState(null);
  const load = async (cursor) => {
    try {
      const p = await call("GET", `${path}?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      setPage(p);
      setItems((old) => (cursor ? [...old, ...p.items] : p.items));
    } catch (err) {
      setError(err);
    }
  };
  useEffect(() => { load(null); }, [path]);
  if (error) return html`<${Problem} error=${error} />`;
  if (!page) return html`<${Loading} />`;
  const shown = items.filter(filter);
  return html`<div>
    <p class="chain">Hash chain: ${page.chain_valid
      ? html`<span class="badge good" data-chain="valid">valid</span>`
      : html`<span class="badge bad" data-chain="broken">BROKEN</span>`}
      <small class="muted"> head #${page.head?.seq ?? "—"} <code>${(page.head?.hash ?? "").slice(0, 16)}</code></small></p>
    ${shown.length === 0 ? html`<p class="muted">${empty}</p>` : html`<table class="list audit">
      <thead><tr><th>#</th><th>Time</th><th>Type</th><th>Principal</th><th>Reason</th></tr></thead>
      <tbody>${shown.map((e) => html`<tr data-type=${e.type}><td>${e.seq}</td><td>${fmtTime(e.ts)}</td><td>${e.type}</td>
        <td><code>${e.principal ?? "—"}</code></td><td title=${JSON.stringify(e.detail)}>${e.reason}</td></tr>`)}</tbody>
    </table>`}
    ${page.next_cursor ? html`<button onClick=${() => load(page.next_cursor)}>Older entries</button>` : null}
  </div>`;
}

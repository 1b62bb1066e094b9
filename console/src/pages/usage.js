import { useEffect, useRef, useState } from "preact/hooks";
import { html } from "../html.js";
import { call, enc } from "../api.js";
import { Chart } from "../chart.js";
import { Loading, Problem, fmtNumber, fmtUsd } from "../ui.js";

/**
 * Usage over time, from the admin API's hourly history (`GET …/usage/history`, kept by Warden, not
 * by this tab): requests, tokens, cost and refusals by code per hour or day, refreshed while the
 * page is open, beside the current minute, day and month windows.
 */
const RANGES = { hour: "Last 48 hours, by hour", day: "Last 30 days, by day" };

export async function loadUsage(tenant, bucket) {
  const [usage, history] = await Promise.all([call("GET", `/tenants/${enc(tenant)}/usage`), call("GET", `/tenants/${enc(tenant)}/usage/history?bucket=${bucket}`)]);
  return { usage, history };
}

/** Refusals of the range by code, most first. */
function refusalTotals(buckets) {
  const out = {};
  for (const b of buckets) for (const [code, n] of Object.entries(b.refusals)) out[code] = (out[code] || 0) + n;
  return Object.entries(out).sort((a, b) => b[1] - a[1]);
}

export function UsagePage({ tenant }) {
  const [data, setData] = useState(null);
  const [error, setError] = useState(null);
  const [bucket, setBucket] = useState("hour");
  const [every, setEvery] = useState(5000);
  const timer = useRef(null);
  useEffect(() => {
    if (!tenant) return undefined;
    let live = true;
    const tick = async () => {
      try {
        const d = await loadUsage(tenant, bucket);
        if (!live) return;
        setData(d);
        setError(null);
      } catch (err) {
        if (live) setError(err);
      }
      if (live) timer.current = setTimeout(tick, every);
    };
    tick();
    return () => { live = false; clearTimeout(timer.current); };
  }, [tenant, bucket, every]);
  if (!tenant) return html`<p class="muted">Pick a tenant.</p>`;
  if (!data) return html`<${Problem} error=${error} />${error ? null : html`<${Loading} />`}`;
  const w = data.usage.windows;
  const h = data.history;
  const starts = h.buckets.map((b) => Date.parse(b.start));
  const per = h.bucket === "day" ? "day" : "hour";
  const codes = [...new Set(h.buckets.flatMap((b) => Object.keys(b.refusals)))].sort();
  const hasCost = typeof w.day.cost === "number";
  const refusals = refusalTotals(h.buckets);
  return html`<section>
    <div class="title-row"><h2>Usage of ${tenant}</h2>
      <label class="picker">Range <select name="range" value=${bucket} onChange=${(e) => setBucket(e.currentTarget.value)}>
        ${Object.entries(RANGES).map(([k, v]) => html`<option value=${k}>${v}</option>`)}</select></label>
      <label class="picker">Refresh every <select value=${every} onChange=${(e) => setEvery(Number(e.currentTarget.value))}>
        <option value="5000">5 s</option><option value="15000">15 s</option><option value="60000">60 s</option></select></label></div>
    <${Problem} error=${error} />
    <table class="list windows">
      <thead><tr><th>Window</th><th>Start</th><th>Requests</th><th>Tokens</th>${hasCost ? html`<th>Cost</th>` : null}</tr></thead>
      <tbody>${["minute", "day", "month"].map((k) => html`<tr data-window=${k}>
        <td>${k}</td><td>${w[k].start}</td><td class="num">${fmtNumber(w[k].requests)}</td><td class="num">${fmtNumber(w[k].tokens)}</td>
        ${hasCost ? html`<td class="num">${fmtUsd(w[k].cost)}</td>` : null}</tr>`)}</tbody>
    </table>
    <div class="charts">
      <${Chart} title=${`Requests per ${per}`} bucket=${per} starts=${starts} series=${[{ name: "requests", values: h.buckets.map((b) => b.requests) }]} />
      <${Chart} title=${`Tokens per ${per}`} bucket=${per} starts=${starts} series=${[{ name: "tokens", values: h.buckets.map((b) => b.tokens) }]} />
      ${hasCost ? html`<${Chart} title=${`Cost per ${per}`} format=${fmtUsd} bucket=${per} starts=${starts} series=${[{ name: "cost (USD)", values: h.buckets.map((b) => b.cost) }]} />` : null}
      <${Chart} title=${`Refusals per ${per}, by code`} bucket=${per} starts=${starts} none="No refusals in this range."
        series=${codes.map((c) => ({ name: c, values: h.buckets.map((b) => b.refusals[c] || 0) }))} />
    </div>
    <h3>Refusals by code in this range</h3>
    ${refusals.length === 0 ? html`<p class="muted">None.</p>` : html`<table class="list refusals">
      <tbody>${refusals.map(([code, n]) => html`<tr><td><code>${code}</code></td><td class="num">${fmtNumber(n)}</td></tr>`)}</tbody>
    </table>`}
    <p class="muted">UTC buckets from ${h.from} to ${h.to}; Warden keeps hourly history ${h.retention_days} days. A request counts in the hour Warden recorded it; refusals before authentication named the tenant are in no tenant's history.</p>
  </section>`;
}

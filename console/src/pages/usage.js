import { useEffect, useRef, useState } from "preact/hooks";
import { html } from "../html.js";
import { call, enc } from "../api.js";
import { Chart } from "../chart.js";
import { parseExposition, sumBy } from "../metrics.js";
import { Loading, Problem, fmtNumber, fmtUsd } from "../ui.js";

/**
 * Usage over time. The admin API reports running totals (usage windows, metrics counters), not
 * history: the console samples them every few seconds while it is open and charts the change
 * per interval. Samples stay in this tab (sessionStorage), per tenant.
 */
const MAX_SAMPLES = 360;

export async function sampleUsage(tenant) {
  const [usage, text] = await Promise.all([call("GET", `/tenants/${enc(tenant)}/usage`), call("GET", "/metrics").catch(() => "")]);
  const samples = parseExposition(typeof text === "string" ? text : "");
  const refusals = sumBy(samples, "warden_requests_total", tenant, "code", (l) => l.code !== "ok");
  return { usage, refusals, at: Date.now() };
}

function snapshot(s) {
  const d = s.usage.windows.day;
  return { t: s.at, day: d.start, requests: d.requests, tokens: d.tokens, cost: typeof d.cost === "number" ? d.cost : null, refusals: s.refusals };
}

/** Change per interval; a new day restarts the day window, so a drop counts from zero. */
function deltas(points, pick) {
  const out = [];
  for (let i = 1; i < points.length; i++) {
    const [a, b] = [pick(points[i - 1]) ?? 0, pick(points[i]) ?? 0];
    out.push([points[i].t, points[i].day === points[i - 1].day && b >= a ? b - a : b]);
  }
  return out;
}

export function UsagePage({ tenant }) {
  const storeKey = `warden.usage.${tenant}`;
  const [points, setPoints] = useState(() => JSON.parse(sessionStorage.getItem(storeKey) || "[]"));
  const [latest, setLatest] = useState(null);
  const [error, setError] = useState(null);
  const [every, setEvery] = useState(5000);
  const timer = useRef(null);
  useEffect(() => {
    if (!tenant) return undefined;
    let live = true;
    const tick = async () => {
      try {
        const s = await sampleUsage(tenant);
        if (!live) return;
        setLatest(s);
        setError(null);
        setPoints((p) => {
          const next = [...p, snapshot(s)].slice(-MAX_SAMPLES);
          sessionStorage.setItem(storeKey, JSON.stringify(next));
          return next;
        });
      } catch (err) {
        if (live) setError(err);
      }
      if (live) timer.current = setTimeout(tick, every);
    };
    tick();
    return () => { live = false; clearTimeout(timer.current); };
  }, [tenant, every]);
  if (!tenant) return html`<p class="muted">Pick a tenant.</p>`;
  if (!latest) return html`<${Problem} error=${error} />${error ? null : html`<${Loading} />`}`;
  const w = latest.usage.windows;
  const codes = [...new Set(points.flatMap((p) => Object.keys(p.refusals)))].sort();
  const hasCost = points.some((p) => p.cost !== null);
  return html`<section>
    <div class="title-row"><h2>Usage of ${tenant}</h2>
      <label class="picker">Sample every <select value=${every} onChange=${(e) => setEvery(Number(e.currentTarget.value))}>
        <option value="5000">5 s</option><option value="15000">15 s</option><option value="60000">60 s</option></select></label></div>
    <${Problem} error=${error} />
    <table class="list windows">
      <thead><tr><th>Window</th><th>Start</th><th>Requests</th><th>Tokens</th>${hasCost ? html`<th>Cost</th>` : null}</tr></thead>
      <tbody>${["minute", "day", "month"].map((k) => html`<tr data-window=${k}>
        <td>${k}</td><td>${w[k].start}</td><td class="num">${fmtNumber(w[k].requests)}</td><td class="num">${fmtNumber(w[k].tokens)}</td>
        ${hasCost ? html`<td class="num">${fmtUsd(w[k].cost)}</td>` : null}</tr>`)}</tbody>
    </table>
    <div class="charts">
      <${Chart} title="Requests per interval" series=${[{ name: "requests", points: deltas(points, (p) => p.requests) }]} />
      <${Chart} title="Tokens per interval" series=${[{ name: "tokens", points: deltas(points, (p) => p.tokens) }]} />
      ${hasCost ? html`<${Chart} title="Cost per interval" unit=" $" series=${[{ name: "cost (USD)", points: deltas(points, (p) => p.cost) }]} />` : null}
      <${Chart} title="Refusals per interval, by code" none="No refusals so far." series=${codes.map((c) => ({ name: c, points: deltas(points, (p) => p.refusals[c]) }))} />
    </div>
    <h3>Refusals by code (since metrics began)</h3>
    ${Object.keys(latest.refusals).length === 0 ? html`<p class="muted">None.</p>` : html`<table class="list refusals">
      <tbody>${Object.entries(latest.refusals).sort((a, b) => b[1] - a[1]).map(([code, n]) => html`<tr><td><code>${code}</code></td><td class="num">${fmtNumber(n)}</td></tr>`)}</tbody>
    </table>`}
    <p class="muted">${points.length} samples in this tab; charts show the change between samples.</p>
  </section>`;
}

import { html } from "./html.js";

/**
 * A line chart in plain SVG (no chart library: a few lines of SVG cost less than one in the
 * Worker's bundle). `series`: [{ name, points: [[timeMs, value], …] }], one y-scale from 0.
 */
const W = 640;
const H = 180;
const PAD = { l: 48, r: 12, t: 10, b: 22 };
const COLORS = ["#2563eb", "#dc2626", "#059669", "#d97706", "#7c3aed", "#db2777", "#0891b2", "#4b5563"];

export function Chart({ title, series, unit = "", none = "Nothing so far." }) {
  const all = series.flatMap((s) => s.points);
  const empty = all.length < 2;
  if (series.length === 0) return html`<figure class="chart" data-chart=${title}><figcaption>${title}</figcaption><p class="muted">${none}</p></figure>`;
  const t0 = Math.min(...all.map((p) => p[0]));
  const t1 = Math.max(...all.map((p) => p[0]), t0 + 1);
  const yMax = Math.max(1e-9, ...all.map((p) => p[1]));
  const x = (t) => PAD.l + ((t - t0) / (t1 - t0)) * (W - PAD.l - PAD.r);
  const y = (v) => H - PAD.b - (v / yMax) * (H - PAD.t - PAD.b);
  const label = (v) => `${Number(v.toPrecision(3)).toLocaleString("en-US")}${unit}`;
  const clock = (t) => new Date(t).toISOString().slice(11, 19);
  return html`<figure class="chart" data-chart=${title}>
    <figcaption>${title}</figcaption>
    ${empty ? html`<p class="muted">Collecting samples…</p>` : html`<svg viewBox=${`0 0 ${W} ${H}`} role="img" aria-label=${title}>
      <line x1=${PAD.l} y1=${y(0)} x2=${W - PAD.r} y2=${y(0)} class="axis" />
      <line x1=${PAD.l} y1=${PAD.t} x2=${PAD.l} y2=${y(0)} class="axis" />
      <text x=${PAD.l - 4} y=${PAD.t + 8} class="tick" text-anchor="end">${label(yMax)}</text>
      <text x=${PAD.l - 4} y=${y(0)} class="tick" text-anchor="end">0</text>
      <text x=${PAD.l} y=${H - 6} class="tick">${clock(t0)}</text>
      <text x=${W - PAD.r} y=${H - 6} class="tick" text-anchor="end">${clock(t1)}</text>
      ${series.map((s, i) => html`<polyline fill="none" stroke=${COLORS[i % COLORS.length]} stroke-width="2"
        points=${s.points.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(" ")} />`)}
    </svg>`}
    <div class="legend">${series.map((s, i) => html`<span><i class=${`swatch c${i % COLORS.length}`}></i>${s.name}</span>`)}</div>
  </figure>`;
}

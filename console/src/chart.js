import { html } from "./html.js";

/**
 * A bar chart of time buckets in plain SVG (no chart library: a few lines of SVG cost less than
 * one in the Worker's bundle). `starts`: each bucket's start (ms); `series`: [{ name, values }],
 * one value per bucket, stacked; one y-scale from 0. Each bar's group carries `data-start` and
 * `data-value` (its stack's total) and a tooltip.
 */
const W = 640;
const H = 180;
const PAD = { l: 48, r: 12, t: 10, b: 22 };
const COLORS = ["#2563eb", "#dc2626", "#059669", "#d97706", "#7c3aed", "#db2777", "#0891b2", "#4b5563"];

/** A bucket's start as a short label: hours as `MM-DD HH:00`, days as `MM-DD` (UTC). */
export function bucketLabel(ms, bucket) {
  const iso = new Date(ms).toISOString();
  return bucket === "day" ? iso.slice(5, 10) : `${iso.slice(5, 10)} ${iso.slice(11, 13)}:00`;
}

const plain = (v) => Number(v.toPrecision(3)).toLocaleString("en-US");

/** `format`: how a value reads on the axis and in the caption (e.g. dollars). */
export function Chart({ title, starts, bucket, series, format = plain, none = "Nothing in this range." }) {
  const totals = starts.map((_, i) => series.reduce((n, s) => n + (s.values[i] || 0), 0));
  const sum = totals.reduce((a, b) => a + b, 0);
  const head = html`<figcaption>${title} <small class="muted">· ${format(sum)} in range</small></figcaption>`;
  if (series.length === 0 || sum === 0)
    return html`<figure class="chart" data-chart=${title} data-total="0">${head}<p class="muted">${none}</p></figure>`;
  const yMax = Math.max(...totals);
  const slot = (W - PAD.l - PAD.r) / starts.length;
  const bar = Math.max(1, slot * 0.8);
  const y = (v) => H - PAD.b - (v / yMax) * (H - PAD.t - PAD.b);
  return html`<figure class="chart" data-chart=${title} data-total=${sum}>
    ${head}
    <svg viewBox=${`0 0 ${W} ${H}`} role="img" aria-label=${`${title}: ${format(sum)} in range`}>
      <line x1=${PAD.l} y1=${y(0)} x2=${W - PAD.r} y2=${y(0)} class="axis" />
      <line x1=${PAD.l} y1=${PAD.t} x2=${PAD.l} y2=${y(0)} class="axis" />
      <text x=${PAD.l - 4} y=${PAD.t + 8} class="tick" text-anchor="end">${format(yMax)}</text>
      <text x=${PAD.l - 4} y=${y(0)} class="tick" text-anchor="end">0</text>
      <text x=${PAD.l} y=${H - 6} class="tick">${bucketLabel(starts[0], bucket)}</text>
      <text x=${W - PAD.r} y=${H - 6} class="tick" text-anchor="end">${bucketLabel(starts[starts.length - 1], bucket)}</text>
      ${starts.map((t, i) => {
        if (!totals[i]) return null;
        let base = 0;
        return html`<g class="bar" data-start=${new Date(t).toISOString()} data-value=${totals[i]}>
          <title>${bucketLabel(t, bucket)}: ${series.filter((s) => s.values[i]).map((s) => `${s.name} ${format(s.values[i])}`).join(", ")}</title>
          ${series.map((s, k) => {
            const v = s.values[i] || 0;
            if (!v) return null;
            const top = y(base + v);
            const height = y(base) - top;
            base += v;
            return html`<rect x=${(PAD.l + i * slot + (slot - bar) / 2).toFixed(1)} y=${top.toFixed(1)} width=${bar.toFixed(1)} height=${Math.max(1, height).toFixed(1)} fill=${COLORS[k % COLORS.length]} />`;
          })}
        </g>`;
      })}
    </svg>
    <div class="legend">${series.map((s, i) => html`<span><i class=${`swatch c${i % COLORS.length}`}></i>${s.name}</span>`)}</div>
  </figure>`;
}

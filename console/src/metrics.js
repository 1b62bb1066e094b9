/**
 * A small reader of Prometheus text exposition, enough for the console's charts: samples of
 * counters with their labels. Histograms come through as their _bucket/_sum/_count series.
 */
const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parseExposition(text) {
  const samples = [];
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const m = LINE.exec(line);
    if (!m) continue;
    const labels = {};
    for (const l of (m[3] || "").matchAll(LABEL)) labels[l[1]] = l[2].replace(/\\n/g, "\n").replace(/\\"/g, '"').replace(/\\\\/g, "\\");
    const value = Number(m[4]);
    if (Number.isFinite(value)) samples.push({ name: m[1], labels, value });
  }
  return samples;
}

/** Sums `name` over the tenant's series, grouped by one label (e.g. refusals by `code`). */
export function sumBy(samples, name, tenant, label, keep = () => true) {
  const out = {};
  for (const s of samples) {
    if (s.name !== name || s.labels.tenant !== tenant || !keep(s.labels)) continue;
    const k = s.labels[label] ?? "";
    out[k] = (out[k] || 0) + s.value;
  }
  return out;
}

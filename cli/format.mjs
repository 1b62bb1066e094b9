/** Plain-text tables for people; `--json` bypasses all of this. */
export function table(rows, columns) {
  if (rows.length === 0) return "(none)";
  const cells = rows.map((r) => columns.map(([, pick]) => String(pick(r) ?? "—")));
  const heads = columns.map(([h]) => h);
  const widths = heads.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (cs) => cs.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  return [line(heads), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}

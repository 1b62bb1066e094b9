/**
 * Issue 10, round 16 (notes/round16-rules.md): scores labelled texts with two classifier +
 * suffix-head pairs given as files, each exactly as the Worker scores (score-shipped.ts: the
 * classifier over every window through onnxruntime, the suffix head on the normalized text, a
 * text scores the higher, flagged at the default 0.9), and prints per source how many each pair
 * flags. Unlike score-pair.ts (round 15), the candidate is a whole retrained model, not a bias shift.
 *
 *   npx tsx wasm-models/score-two-pairs.ts <data.json> <shipped screen.onnx> <shipped soup-table.ts> <candidate screen.onnx> <candidate soup-table.ts>
 */
import { readFileSync } from "node:fs";
import { normalize, screeningWindows } from "../worker/screen/featurize";
import { soupScore } from "../worker/screen/soup";
import { headOf } from "./lib/soup-table-file";
import { onnxScorer } from "./lib/onnx-score";

const DEFAULT_THRESHOLD = 0.9;
const [file, shippedOnnx, shippedTable, candidateOnnx, candidateTable] = process.argv.slice(2);
if (!file || !shippedOnnx || !shippedTable || !candidateOnnx || !candidateTable) throw new Error("usage: score-two-pairs.ts <data.json> <shipped onnx> <shipped soup-table.ts> <candidate onnx> <candidate soup-table.ts>");

const pairs = {
  shipped: { classifier: await onnxScorer(readFileSync(shippedOnnx)), head: await headOf(shippedTable) },
  candidate: { classifier: await onnxScorer(readFileSync(candidateOnnx)), head: await headOf(candidateTable) },
};
const rows = JSON.parse(readFileSync(file, "utf8")) as Array<{ text: string; label: 0 | 1; source: string }>;

interface Count { n: number; shipped: number; candidate: number; cls: [number, number]; head: [number, number]; onlyCandidate: string[]; onlyShipped: string[] }
const by = new Map<string, Count>();
for (const r of rows) {
  const c = by.get(r.source) ?? { n: 0, shipped: 0, candidate: 0, cls: [0, 0], head: [0, 0], onlyCandidate: [], onlyShipped: [] };
  const windows = screeningWindows(r.text);
  const norm = normalize(r.text);
  const s = { cls: await pairs.shipped.classifier(windows), head: soupScore(norm, pairs.shipped.head) };
  const d = { cls: await pairs.candidate.classifier(windows), head: soupScore(norm, pairs.candidate.head) };
  const fs = Math.max(s.cls, s.head) >= DEFAULT_THRESHOLD;
  const fd = Math.max(d.cls, d.head) >= DEFAULT_THRESHOLD;
  c.n++;
  if (fs) c.shipped++;
  if (fd) c.candidate++;
  if (s.cls >= DEFAULT_THRESHOLD) c.cls[0]++;
  if (d.cls >= DEFAULT_THRESHOLD) c.cls[1]++;
  if (s.head >= DEFAULT_THRESHOLD) c.head[0]++;
  if (d.head >= DEFAULT_THRESHOLD) c.head[1]++;
  if (fd && !fs) c.onlyCandidate.push(r.text);
  if (fs && !fd) c.onlyShipped.push(r.text);
  by.set(r.source, c);
}
const pct = (k: number, n: number) => `${((100 * k) / n).toFixed(2)}% (${k})`;
console.log("| source | n | shipped pair | candidate pair | difference (points) | allowed (max 0.25 points, one text) | classifier alone: shipped / candidate | head alone: shipped / candidate |");
console.log("|---|---|---|---|---|---|---|---|");
for (const [src, c] of [...by].sort()) {
  const allowed = Math.max(Math.floor(0.0025 * c.n), 1);
  console.log(`| ${src} | ${c.n} | ${pct(c.shipped, c.n)} | ${pct(c.candidate, c.n)} | ${((100 * (c.candidate - c.shipped)) / c.n).toFixed(2)} | ${c.candidate - c.shipped <= allowed ? "met" : "NOT met"} (${c.candidate - c.shipped} more, ≤ ${allowed}) | ${c.cls[0]} / ${c.cls[1]} | ${c.head[0]} / ${c.head[1]} |`);
}
const show = (t: string) => JSON.stringify(t.slice(0, 200)) + (t.length > 200 ? " …" : "");
for (const [src, c] of by) {
  for (const t of c.onlyCandidate) console.log(`\nonly the candidate flags (${src}): ${show(t)}`);
  for (const t of c.onlyShipped) console.log(`\nonly the shipped pair flags (${src}): ${show(t)}`);
}

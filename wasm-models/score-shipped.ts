/**
 * Scores the texts of a labelled data file (rows {text, label, source}) with the SHIPPED model as
 * the Worker does (classifier over every window through onnxruntime, and the suffix head; a text
 * scores the higher), and reports per source the share at or above the default threshold 0.9.
 * For sources the shipped model never saw (issue 10 round 10: data/round10-public.json) this is
 * an out-of-sample figure of the model as deployed, not a leave-one-source-out estimate:
 *
 *   npx tsx wasm-models/score-shipped.ts wasm-models/data/round10-public.json
 */
import { readFileSync } from "node:fs";
import { DEFAULT_THRESHOLD, shippedPair } from "./lib/shipped-pair";

const file = process.argv[2];
if (!file) throw new Error("usage: score-shipped.ts <labelled data json>");
const rows = JSON.parse(readFileSync(file, "utf8")) as Array<{ text: string; label: 0 | 1; source: string }>;
const pair = await shippedPair();
const bySource = new Map<string, { label: 0 | 1; scores: number[] }>();
for (const r of rows) {
  const { score } = await pair(r.text);
  const entry = bySource.get(r.source) ?? { label: r.label, scores: [] };
  entry.scores.push(score);
  bySource.set(r.source, entry);
}
console.log(`| source | label | n | flagged at ${DEFAULT_THRESHOLD} (shipped model, both heads) | median score |`);
console.log("|---|---|---|---|---|");
for (const [source, { label, scores }] of [...bySource].sort()) {
  const flagged = scores.filter((s) => s >= DEFAULT_THRESHOLD).length;
  const median = [...scores].sort((a, b) => a - b)[Math.floor(scores.length / 2)]!;
  console.log(`| ${source} | ${label ? "attack" : "benign"} | ${scores.length} | ${flagged} (${((100 * flagged) / scores.length).toFixed(1)}%) | ${median.toFixed(3)} |`);
}

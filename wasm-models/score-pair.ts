/**
 * Issue 10 round 15 (notes/round15-rules.md): scores harmless texts no suffix head has learned
 * from or been calibrated on with two classifier + suffix-head PAIRS as the Worker scores them
 * (score-shipped.ts: the classifier over every window through onnxruntime, the suffix head; a
 * text scores the higher; flagged at the default 0.9):
 *
 *   shipped:   screen.onnx as committed, the head in a soup-table module (the shipped one);
 *   candidate: the same classifier with its bias moved as train.ts's `calibrated` would move it
 *              for the candidate's joint default (classifier threshold T_cand instead of the
 *              shipped T_ship = metrics.json calibrated_from), and the candidate's head table.
 *
 * The classifier is a logistic model whose only calibration is its bias, so moving the bias moves
 * every window's logit by logit(T_ship) - logit(T_cand); the retrain by the one command fits the
 * same weights (same data, code and seed) and differs only in that bias.
 *
 *   npx tsx wasm-models/score-pair.ts <data.json> <source,source> <shipped soup-table.ts> <candidate soup-table.ts> <T_cand>
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { normalize, screeningWindows } from "../worker/screen/featurize";
import { soupScore } from "../worker/screen/soup";
import { headOf } from "./lib/soup-table-file";
import { onnxScorer } from "./lib/onnx-score";

const DEFAULT_THRESHOLD = 0.9;
const [file, sourceList, shippedTable, candidateTable, tCandArg] = process.argv.slice(2);
if (!file || !sourceList || !shippedTable || !candidateTable || !tCandArg) throw new Error("usage: score-pair.ts <data.json> <sources> <shipped soup-table.ts> <candidate soup-table.ts> <T_cand>");

const logit = (p: number) => Math.log(p / (1 - p));
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const tShip = (JSON.parse(readFileSync(fileURLToPath(new URL("./metrics.json", import.meta.url)), "utf8")) as { calibrated_from: number }).calibrated_from;
const tCand = Number(tCandArg);
const shift = logit(tShip) - logit(tCand);
const heads = { shipped: await headOf(shippedTable), candidate: await headOf(candidateTable) };
const classifier = await onnxScorer(readFileSync(fileURLToPath(new URL("./screen.onnx", import.meta.url))));
const wanted = sourceList.split(",");
const rows = (JSON.parse(readFileSync(file, "utf8")) as Array<{ text: string; label: 0 | 1; source: string }>).filter((r) => wanted.includes(r.source));
console.log(`classifier thresholds (uncalibrated scale): shipped ${tShip.toFixed(4)}, candidate ${tCand.toFixed(4)}; window logit shift ${shift.toFixed(4)}`);

interface Count { n: number; shipped: number; candidate: number; clsShipped: number; clsCandidate: number; headShipped: number; headCandidate: number; texts: string[] }
const by = new Map<string, Count>();
for (const r of rows) {
  const c = by.get(r.source) ?? { n: 0, shipped: 0, candidate: 0, clsShipped: 0, clsCandidate: 0, headShipped: 0, headCandidate: 0, texts: [] };
  const cls = await classifier(screeningWindows(r.text));
  const clsCand = sigmoid(logit(cls) + shift);
  const norm = normalize(r.text);
  const hs = soupScore(norm, heads.shipped);
  const hc = soupScore(norm, heads.candidate);
  c.n++;
  if (Math.max(cls, hs) >= DEFAULT_THRESHOLD) c.shipped++;
  if (Math.max(clsCand, hc) >= DEFAULT_THRESHOLD) c.candidate++;
  if (cls >= DEFAULT_THRESHOLD) c.clsShipped++;
  if (clsCand >= DEFAULT_THRESHOLD) c.clsCandidate++;
  if (hs >= DEFAULT_THRESHOLD) c.headShipped++;
  if (hc >= DEFAULT_THRESHOLD) { c.headCandidate++; c.texts.push(r.text); }
  by.set(r.source, c);
}
const pct = (k: number, n: number) => `${((100 * k) / n).toFixed(2)}% (${k})`;
console.log("| source | n | shipped joint | candidate joint | difference (points) | classifier alone: shipped / candidate | head alone: shipped / candidate |");
console.log("|---|---|---|---|---|---|---|");
for (const [s, c] of [...by].sort()) {
  console.log(`| ${s} | ${c.n} | ${pct(c.shipped, c.n)} | ${pct(c.candidate, c.n)} | ${((100 * (c.candidate - c.shipped)) / c.n).toFixed(2)} | ${c.clsShipped} / ${c.clsCandidate} | ${c.headShipped} / ${c.headCandidate} |`);
}
for (const [s, c] of by) for (const t of c.texts) console.log(`\ncandidate head flags (${s}): ${JSON.stringify(t.slice(0, 300))}${t.length > 300 ? " …" : ""}`);

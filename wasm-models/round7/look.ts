/**
 * Round 7, looked at before the rules were fixed (notes/round7-rules.md): which windows fire on
 * the 40 + 40 harmless ~20 KB documents of lib/long-documents.ts (validation texts, the same seed),
 * scored by the model fitted on the train split, at the default (0.9 calibrated = the joint
 * default on the uncalibrated scale, metrics.json calibrated_from). Prints, per flagged document,
 * its most suspicious window: sliding or line, score, and its text.
 *
 *   npx tsx wasm-models/round7/look.ts
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { normalize, screeningPlan, screeningWindows, windowSpans } from "../../worker/screen/featurize";
import { fitAdagrad } from "../lib/adagrad";
import { loadSamples } from "../lib/data";
import { toExamples } from "../lib/examples";
import { logit, sigmoid } from "../lib/logreg";
import { rng } from "../lib/rng";
import { assignSplits, clusters } from "../lib/split";
import { documents } from "./documents";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const DATA_DIR = process.env.WARDEN_DATA_DIR ?? here("../../../../shared/data");
const OWN = { hardNegatives: here("../data/hard-negatives.json"), attacks: here("../data/own-attacks.json"), publicBenign: here("../data/public-benign.json"), publicLabelled: here("../data/public-labelled.json"), round5: [] };
const T = (JSON.parse(readFileSync(here("../metrics.json"), "utf8")) as { calibrated_from: number }).calibrated_from;

const samples = loadSamples(DATA_DIR, OWN, 42);
const splits = assignSplits(samples, 42, clusters(samples));
const items = samples.map((sample) => {
  const scored = screeningWindows(sample.text, null);
  return { sample, windows: scored.slice(0, windowSpans(normalize(sample.text).length).length), scored };
});
const model = fitAdagrad(toExamples(items.filter((_, i) => splits[i] === "train"), 1), { dim: 1 << 16, l2: 3e-5, epochs: 8, seed: 42 });
const val = items.filter((_, i) => splits[i] === "val");

const random = rng(7);
const benign = val.filter((v) => v.sample.label === 0).map((v) => v.sample);
const sets = {
  ordinary: documents(benign.filter((s) => s.source !== "hard_negative_security").map((s) => s.text), 40, 20_000, random),
  security: documents(benign.filter((s) => s.source !== "gsm8k").map((s) => s.text), 40, 20_000, random),
};
const textScore = new Map(val.map((v) => [normalize(v.sample.text), { source: v.sample.source, score: Math.max(...v.scored.map((x) => sigmoid(logit(model, x)))) }]));
console.log(`threshold (uncalibrated) ${T}`);
for (const [name, docs] of Object.entries(sets)) {
  let flagged = 0;
  let line = 0;
  let nAbove = 0;
  for (const doc of docs) {
    const plan = screeningPlan(doc);
    const sliding = windowSpans(normalize(doc).length).length;
    const scores = screeningWindows(doc, null).map((x) => sigmoid(logit(model, x)));
    const best = scores.indexOf(Math.max(...scores));
    const above = scores.filter((s) => s > T).length;
    if (scores[best]! <= T) continue;
    flagged++;
    nAbove += above;
    if (best >= sliding) line++;
    const w = plan[best]!;
    const text = w.t.slice(w.a, w.b);
    const alone = [...textScore.entries()].find(([k]) => k.includes(text) || text.includes(k));
    console.log(`${name}: ${best >= sliding ? "LINE" : "SLIDING"} score ${scores[best]!.toFixed(5)} windows above ${above}/${scores.length} (sliding ${sliding}) | text alone: ${alone ? `${alone[1].source} ${alone[1].score.toFixed(5)}` : "none"}\n   ${JSON.stringify(text.slice(0, 300))}`);
  }
  console.log(`${name}: ${flagged}/${docs.length} flagged, best window a line in ${line}, windows above per flagged doc ${(nAbove / Math.max(1, flagged)).toFixed(1)}`);
}

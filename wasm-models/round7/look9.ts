/**
 * Round 9 explanation, written after the results (notes/round9-results.md; not selection): which
 * line windows flag the held-out harmless documents of the families whose flags are line windows
 * only (ui_multilingual, acp_roleplay), with their normalized length and word count. The same fits
 * (LOSO, the family and its near-duplicates out) and the same documents (seed 7, same order) as
 * round7/run.ts --part loso.
 *
 *   npx tsx wasm-models/round7/look9.ts
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { normalize, screeningPlan, screeningWindows, windowSpans } from "../../worker/screen/featurize";
import { fitAdagrad } from "../lib/adagrad";
import { loadSamples, type Sample } from "../lib/data";
import { toExamples, type Featurized } from "../lib/examples";
import { familyOf, MIN_CALIBRATION_TEXTS } from "../lib/loso";
import { logit } from "../lib/logreg";
import { rng } from "../lib/rng";
import { clusters } from "../lib/split";
import { documents } from "./documents";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const DATA_DIR = process.env.WARDEN_DATA_DIR ?? here("../../../../shared/data");
const OWN = { hardNegatives: here("../data/hard-negatives.json"), attacks: here("../data/own-attacks.json"), publicBenign: here("../data/public-benign.json"), publicLabelled: here("../data/public-labelled.json"), round5: [] };
const T = (JSON.parse(readFileSync(here("../metrics.json"), "utf8")) as { calibrated_from: number }).calibrated_from;
const L = Math.log(T / (1 - T));
const FAMILIES = ["ui_multilingual", "acp_roleplay"];


const samples = loadSamples(DATA_DIR, OWN, 42);
const roots = clusters(samples);
const random = rng(7);
const count = (src: string) => samples.filter((s) => s.source === src).length;
const benignSources = [...new Set(samples.filter((s) => s.label === 0).map((s) => s.source))].sort();
const textsOf = (pred: (s: Sample) => boolean) => samples.filter((s) => s.label === 0 && pred(s)).map((s) => s.text);
const bigFamilies = [...new Set(benignSources.filter((s) => count(s) >= MIN_CALIBRATION_TEXTS).map(familyOf))].sort();
const docsOf = new Map<string, string[]>();
// The documents in run.ts's order (one random sequence), kept for the families looked at.
for (const f of bigFamilies) for (const target of [20_000, 5_000]) docsOf.set(`${f}:${target}`, documents(textsOf((s) => familyOf(s.source) === f), 100, target, random));
const WORD = /[\p{L}\p{N}]+/gu;

for (const family of FAMILIES) {
  const held = new Set(samples.map((s, i) => (familyOf(s.source) === family ? roots[i]! : -1)));
  const train: Featurized[] = [];
  samples.forEach((sample, i) => {
    if (familyOf(sample.source) === family || held.has(roots[i]!)) return;
    const windows = screeningWindows(sample.text, null).slice(0, windowSpans(normalize(sample.text).length).length);
    train.push({ sample, windows, scored: windows });
  });
  const model = fitAdagrad(toExamples(train, 1), { dim: 1 << 16, l2: 3e-5, epochs: 8, seed: 42 });
  const lengths: number[] = [];
  const seen = new Map<string, number>();
  for (const target of [20_000, 5_000]) {
    for (const doc of docsOf.get(`${family}:${target}`)!) {
      const plan = screeningPlan(doc);
      const ns = windowSpans(normalize(doc).length).length;
      const z = screeningWindows(doc, null).map((x) => logit(model, x));
      if (Math.max(...z.slice(0, ns)) > L) continue;
      z.forEach((v, j) => {
        if (j < ns || v <= L) return;
        const { t, a, b } = plan[j]!;
        const line = t.slice(a, b);
        lengths.push(line.length);
        seen.set(line, (seen.get(line) ?? 0) + 1);
      });
    }
  }
  console.log(`\n${family}: ${lengths.length} line windows over the default in documents flagged by lines only; ${seen.size} distinct lines; lengths min ${Math.min(...lengths)} median ${lengths.sort((x, y) => x - y)[lengths.length >> 1]} max ${Math.max(...lengths)}`);
  for (const [line, n] of [...seen.entries()].sort((x, y) => y[1] - x[1])) console.log(`  ${n}× len ${line.length} words ${line.match(WORD)?.length ?? 0}: ${JSON.stringify(line.slice(0, 200))}`);
}

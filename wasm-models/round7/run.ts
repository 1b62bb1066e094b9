/**
 * Round 7 measurement (rules: wasm-models/notes/round7-rules.md). Scores harmless documents and
 * attacks inside documents with the models of the shipped training, and writes, per text and per
 * document, what every candidate needs: the number of sliding and line windows and the highest
 * logit of each kind (the line logits of 20 KB documents too, for C3). wasm-models/round7/eval.ts
 * turns that into the tables.
 *
 *   npx tsx wasm-models/round7/run.ts --part val    validation split (item 4) -> .tmp/round7-val.json
 *   npx tsx wasm-models/round7/run.ts --part loso   leave-one-source-out (items 1-3) -> .tmp/round7-loso.json
 *   ... --docs-train                                 candidate D of round 7b (notes/round7b-rules.md): every fit
 *                                                    also fits the windows of harmless documents -> .tmp/round7b-*.json
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { normalize, screeningPlan, screeningWindows, windowSpans, type WindowSource } from "../../worker/screen/featurize";
import { soupScore } from "../../worker/screen/soup";
import { bundledSoupHead } from "../../worker/screen/soup-lm";
import { fitAdagrad } from "../lib/adagrad";
import { DATA_DIR, loadSamples, ownDataFiles, type Sample } from "../lib/data";
import { toExamples, type Featurized } from "../lib/examples";
import { familyOf } from "../lib/loso";
import { logit, type LogReg } from "../lib/logreg";
import { rng } from "../lib/rng";
import { assignSplits, clusters } from "../lib/split";
import { documents, harmlessDocumentSets } from "./documents";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const SEED = 42;
const DOC_SEED = 7;
const MAX_ATTACK = 1_000;
const part = process.argv[process.argv.indexOf("--part") + 1];
const log = (s: string) => console.log(`${new Date().toISOString().slice(11, 19)} ${s}`);

/** What the candidates need of one scored text or document. */
export interface Scored {
  ns: number;
  nl: number;
  /** Highest sliding-window logit; highest line-window logit (-Infinity: none). */
  s: number;
  l: number;
  /** Round 9 (notes/round9-rules.md): the highest line-window logit among the lines each rule of LINE_RULES keeps. */
  lk?: number[];
}

/**
 * Round 9's line rules, in order: B (shipped), L32, L48, W6. Each keeps a subset of the shipped
 * line windows (linesOf() bounds the length before removing duplicates, and a duplicate has the
 * same length and words), so filtering the shipped plan is exactly the plan with that rule.
 */
const WORD = /[\p{L}\p{N}]+/gu;
export const LINE_RULES: Array<[string, (line: string) => boolean]> = [
  ["B", () => true],
  ["L32", (line) => line.length >= 32],
  ["L48", (line) => line.length >= 48],
  ["W6", (line) => (line.match(WORD)?.length ?? 0) >= 6],
];
/** Per line window of the plan (after its `ns` sliding windows), which rules keep it. */
const ruleMask = (plan: WindowSource[], ns: number) => plan.slice(ns).map(({ t, a, b }) => LINE_RULES.map(([, keep]) => keep(t.slice(a, b))));
const maxKept = (lines: number[], mask: boolean[][]) => LINE_RULES.map((_, r) => Math.max(-Infinity, ...lines.filter((_, j) => mask[j]![r])));

const DOCS_TRAIN = process.argv.includes("--docs-train");
const OUT = DOCS_TRAIN ? "round7b" : "round7";
/** Round 7b: training documents per harmless source of a fit (seed 11; the evaluation documents use 7). */
const TRAIN_DOCS = 20;
const TRAIN_DOC_CHARS = 5_000;

/** Round 7b: 20 harmless documents of ~5 KB per harmless source of the fit, every window fitted, source `doc:<source>`. */
export function trainingDocuments(items: Featurized[]): Featurized[] {
  const random = rng(11);
  const bySource = new Map<string, string[]>();
  for (const { sample } of items) if (sample.label === 0 && sample.trainable !== false) (bySource.get(sample.source) ?? bySource.set(sample.source, []).get(sample.source)!).push(sample.text);
  const out: Featurized[] = [];
  for (const [source, texts] of [...bySource.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (texts.length < 20) continue;
    for (const text of documents(texts, TRAIN_DOCS, TRAIN_DOC_CHARS, random)) {
      const all = screeningWindows(text, null);
      out.push({ sample: { text, label: 0, source: `doc:${source}`, group: `doc:${source}` }, windows: all, scored: all });
    }
  }
  return out;
}

function train(items: Featurized[]): LogReg {
  const docs = DOCS_TRAIN ? trainingDocuments(items) : [];
  if (DOCS_TRAIN) log(`fit with ${docs.length} training documents, ${docs.reduce((n, d) => n + d.windows.length, 0)} windows`);
  const all = [...items, ...docs];
  return fitAdagrad(toExamples(all, 1), { dim: 1 << 16, l2: 3e-5, epochs: 8, seed: SEED });
}

function scoreText(model: LogReg, text: string): Scored & { lines?: number[] } {
  const ns = windowSpans(normalize(text).length).length;
  const z = screeningWindows(text, null).map((x) => logit(model, x));
  const lines = z.slice(ns);
  return { ns, nl: lines.length, s: Math.max(-Infinity, ...z.slice(0, ns)), l: Math.max(-Infinity, ...lines), lines, lk: maxKept(lines, ruleMask(screeningPlan(text), ns)) };
}
const compact = ({ ns, nl, s, l, lk }: Scored): Scored => ({ ns, nl, s: round(s), l: round(l), ...(lk ? { lk: lk.map(round) } : {}) });
const round = (x: number) => (Number.isFinite(x) ? Math.round(x * 1e5) / 1e5 : x);


const atEnd = (doc: string, a: string) => `${doc}\n\n${a}`;
function inMiddle(doc: string, a: string): string {
  const cut = doc.indexOf("\n\n", Math.floor(doc.length / 2));
  return cut < 0 ? atEnd(doc, a) : `${doc.slice(0, cut)}\n\n${a}${doc.slice(cut)}`;
}

const head = bundledSoupHead();
const soup = (t: string) => round(soupScore(normalize(t), head));

const samples = loadSamples(DATA_DIR, ownDataFiles(), SEED);
const roots = clusters(samples);
const masks: boolean[][][] = [];
const items: Featurized[] = samples.map((sample) => {
  const scored = screeningWindows(sample.text, null);
  const ns = windowSpans(normalize(sample.text).length).length;
  masks.push(ruleMask(screeningPlan(sample.text), ns));
  return { sample, windows: scored.slice(0, ns), scored };
});
const maskOf = new Map(items.map((item, i) => [item, masks[i]!]));
log(`${samples.length} texts featurized`);
mkdirSync(here("../../.tmp"), { recursive: true });

function scoreItem(model: LogReg, item: Featurized): Scored {
  const ns = item.windows.length;
  const z = item.scored.map((x) => logit(model, x));
  return compact({ ns, nl: z.length - ns, s: Math.max(-Infinity, ...z.slice(0, ns)), l: Math.max(-Infinity, ...z.slice(ns)), lk: maxKept(z.slice(ns), maskOf.get(item)!) });
}

if (part === "val") {
  const splits = assignSplits(samples, SEED, roots);
  const model = train(items.filter((_, i) => splits[i] === "train"));
  log("validation model fitted");
  const val = items.filter((_, i) => splits[i] === "val");
  const random = rng(DOC_SEED);
  const benign = val.filter((v) => v.sample.label === 0).map((v) => v.sample);
  const ordinary = documents(benign.filter((s) => s.source !== "hard_negative_security").map((s) => s.text), 200, 20_000, random);
  const security = documents(benign.filter((s) => s.source !== "gsm8k").map((s) => s.text), 200, 20_000, random);
  const attacks = val.filter((v) => v.sample.label === 1 && v.sample.text.length <= MAX_ATTACK).map((v) => v.sample);
  const doc = (t: string) => ({ ...compact(scoreText(model, t)), soup: soup(t), len: t.length });
  const out = {
    texts: val.map((v) => ({ source: v.sample.source, label: v.sample.label, ...scoreItem(model, v) })),
    ordinary: ordinary.map(doc),
    security: security.map(doc),
    attacks: attacks.map((a, i) => ({
      source: a.source,
      alone: compact(scoreText(model, a.text)),
      end: compact(scoreText(model, atEnd(ordinary[i % ordinary.length]!, a.text))),
      middle: compact(scoreText(model, inMiddle(ordinary[i % ordinary.length]!, a.text))),
    })),
  };
  writeFileSync(here(`../../.tmp/${OUT}-val.json`), JSON.stringify(out));
  log(`wrote .tmp/${OUT}-val.json: ${val.length} texts, ${ordinary.length}+${security.length} documents, ${attacks.length} attacks`);
} else if (part === "loso") {
  const random = rng(DOC_SEED);
  // Harmless documents per family (sources of 100+ texts; smaller sources reported apart).
  const docSets = harmlessDocumentSets(samples, random);
  const textsOf = (pred: (s: Sample) => boolean) => samples.filter((s) => s.label === 0 && pred(s)).map((s) => s.text);
  const hosts = documents(textsOf((s) => s.source !== "hard_negative_security"), 100, 20_000, random);
  const texts: Array<{ source: string; label: number; len: number } & Scored> = new Array(items.length);
  const docsOut: Array<{ family: string; group: string; target: number; len: number; soup: number; lines?: number[] } & Scored> = [];
  const attacksOut: Array<{ source: string; host: number; alone: Scored; end: Scored; middle: Scored }> = [];
  /** Per attack family, the hosts alone, scored by that family's model (explanation: was the host flagged anyway?). */
  const hostsOut: Record<string, Scored[]> = {};
  const families = [...new Set(items.map((i) => familyOf(i.sample.source)))].sort();
  for (const family of families) {
    const held = items.map((item, i) => (familyOf(item.sample.source) === family ? i : -1)).filter((i) => i >= 0);
    const heldRoots = new Set(held.map((i) => roots[i]!));
    const model = train(items.filter((item, i) => familyOf(item.sample.source) !== family && !heldRoots.has(roots[i]!)));
    for (const i of held) texts[i] = { source: items[i]!.sample.source, label: items[i]!.sample.label, len: items[i]!.sample.text.length, ...scoreItem(model, items[i]!) };
    for (const set of docSets.filter((d) => d.family === family)) {
      for (const d of set.docs) {
        const r = scoreText(model, d);
        docsOut.push({ family: set.group === "held" ? family : `small:${family}`, group: set.group, target: set.target, len: d.length, soup: soup(d), ...compact(r), ...(set.target === 20_000 && set.group === "held" ? { lines: r.lines!.map(round) } : {}) });
      }
    }
    let k = 0;
    for (const i of held) {
      const a = items[i]!.sample;
      if (a.label !== 1 || a.text.length > MAX_ATTACK) continue;
      const h = k++ % hosts.length;
      const host = hosts[h]!;
      attacksOut.push({ source: a.source, host: h, alone: texts[i]!, end: compact(scoreText(model, atEnd(host, a.text))), middle: compact(scoreText(model, inMiddle(host, a.text))) });
    }
    if (k > 0) hostsOut[family] = hosts.slice(0, Math.min(k, hosts.length)).map((h) => compact(scoreText(model, h)));
    log(`loso: held out ${family} (${held.length} texts)`);
  }
  writeFileSync(here(`../../.tmp/${OUT}-loso.json`), JSON.stringify({ texts, docs: docsOut, attacks: attacksOut, hosts: hostsOut }));
  log(`wrote .tmp/${OUT}-loso.json: ${texts.length} texts, ${docsOut.length} documents, ${attacksOut.length} attacks in documents`);
} else {
  throw new Error("--part val|loso");
}

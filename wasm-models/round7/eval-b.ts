/**
 * Round 7b tables (rules: wasm-models/notes/round7b-rules.md): candidate D (harmless documents
 * in the fit) against the shipped training (C0), each at its own default recalibrated on its own
 * LOSO text scores by lib/loso.ts's rule with the shipped per-source budget (0.5%).
 *
 *   npx tsx wasm-models/round7/eval-b.ts    reads .tmp/round7-{loso,val}.json and .tmp/round7b-{loso,val}.json
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Sample } from "../lib/data";
import { familyOf, losoReport, MIN_CALIBRATION_TEXTS } from "../lib/loso";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const BUDGET = 0.005;

interface Scored {
  ns: number;
  nl: number;
  s: number;
  l: number;
}
interface Run {
  loso: {
    texts: Array<Scored & { source: string; label: 0 | 1; len: number }>;
    docs: Array<Scored & { family: string; group: string; target: number; soup: number }>;
    attacks: Array<{ source: string; host: number; alone: Scored; end: Scored; middle: Scored }>;
    hosts: Record<string, Scored[]>;
  };
  val: { texts: Array<Scored & { label: number }>; ordinary: Scored[]; security: Scored[]; attacks: Array<{ alone: Scored; end: Scored; middle: Scored }> };
}
const load = (name: string): Run => ({
  loso: JSON.parse(readFileSync(here(`../../.tmp/${name}-loso.json`), "utf8")) as Run["loso"],
  val: JSON.parse(readFileSync(here(`../../.tmp/${name}-val.json`), "utf8")) as Run["val"],
});
const z = (r: Scored) => Math.max(r.s, r.l);
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
const rate = <T>(xs: T[], f: (x: T) => boolean) => (xs.length === 0 ? NaN : xs.filter(f).length / xs.length);

function evaluate(name: string, run: Run) {
  const samples = run.loso.texts.map((t) => ({ source: t.source, label: t.label, text: "", group: "" })) as Sample[];
  const scores = run.loso.texts.map((t) => sigmoid(z(t)));
  const report = losoReport(samples, scores, BUDGET);
  const L = Math.log(report.threshold_default / (1 - report.threshold_default));
  const flagged = (r: Scored) => z(r) > L;
  // Nested: the threshold chosen without the source's family, classifier alone.
  const harmlessSources = [...new Set(samples.filter((s) => s.label === 0).map((s) => s.source))].sort();
  const nested = harmlessSources
    .filter((src) => samples.filter((s) => s.source === src).length >= MIN_CALIBRATION_TEXTS)
    .map((src) => {
      const keep = samples.map((s) => familyOf(s.source) !== familyOf(src));
      const t = losoReport(samples.filter((_, i) => keep[i]), scores.filter((_, i) => keep[i]), BUDGET).threshold_default;
      const own = scores.filter((_, i) => samples[i]!.source === src);
      return [src, rate(own, (s) => s > t)] as const;
    });
  const held = run.loso.docs.filter((d) => d.group === "held");
  const families = [...new Set(held.map((d) => d.family))].sort();
  const perFamily = families.map((f) => {
    const docs = held.filter((d) => d.family === f);
    return { f, big: rate(docs.filter((d) => d.target === 20_000), flagged), small: rate(docs.filter((d) => d.target === 5_000), flagged), all: rate(docs, flagged), soup: rate(docs, (d) => flagged(d) || d.soup > 0.9) };
  });
  const A = run.loso.attacks;
  const hostFlag = (x: (typeof A)[number]) => {
    const h = run.loso.hosts[familyOf(x.source)]?.[x.host];
    return h ? flagged(h) : false;
  };
  const V = run.val.attacks;
  const vHost = (i: number) => flagged(run.val.ordinary[i % run.val.ordinary.length]!);
  const attacksT = run.loso.texts.filter((t) => t.label === 1);
  return {
    name,
    threshold: report.threshold_default,
    perFamily,
    worst: Math.max(...perFamily.map((r) => r.all)),
    small: run.loso.docs.filter((d) => d.group === "small").length > 0 ? rate(run.loso.docs.filter((d) => d.group === "small"), flagged) : NaN,
    longTexts: rate(run.loso.texts.filter((t) => t.label === 0 && t.len > 2_000), flagged),
    recall: rate(attacksT, flagged),
    recall1pct: report.recall_at_1pct,
    auc: report.auc,
    harmlessMax: report.rows.filter((r) => r.label === 0 && r.n >= MIN_CALIBRATION_TEXTS).sort((a, b) => b.at_default - a.at_default)[0]!,
    nested,
    loso: { alone: rate(A, (x) => flagged(x.alone)), end: rate(A, (x) => flagged(x.end)), middle: rate(A, (x) => flagged(x.middle)), endHost: rate(A, (x) => flagged(x.end) && !hostFlag(x)), middleHost: rate(A, (x) => flagged(x.middle) && !hostFlag(x)) },
    val: {
      ordinary: rate(run.val.ordinary, flagged),
      security: rate(run.val.security, flagged),
      alone: rate(V, (x) => flagged(x.alone)),
      end: rate(V, (x) => flagged(x.end)),
      middle: rate(V, (x) => flagged(x.middle)),
      endHost: rate(V.map((x, i) => [x, i] as const), ([x, i]) => flagged(x.end) && !vHost(i)),
      middleHost: rate(V.map((x, i) => [x, i] as const), ([x, i]) => flagged(x.middle) && !vHost(i)),
      texts: `${pct(rate(run.val.texts.filter((t) => t.label === 1), flagged))} / ${pct(rate(run.val.texts.filter((t) => t.label === 0), flagged))}`,
    },
  };
}

const c0 = evaluate("C0 (shipped training)", load("round7"));
const d = evaluate("D (harmless documents in the fit)", load("round7b"));
for (const r of [c0, d]) console.log(`${r.name}: default ${r.threshold.toFixed(5)} (uncalibrated); LOSO AUC ${r.auc.toFixed(4)}, recall at 1% FPR ${pct(r.recall1pct)}, at the default ${pct(r.recall)}; highest harmless source in-sample ${r.harmlessMax.source} ${pct(r.harmlessMax.at_default)}`);
console.log(`\n| held-out family | C0 20 KB / 5 KB / both | D 20 KB / 5 KB / both | D with the suffix head |\n|---|---|---|---|`);
c0.perFamily.forEach((r, i) => {
  const x = d.perFamily[i]!;
  console.log(`| ${r.f} | ${pct(r.big)} / ${pct(r.small)} / **${pct(r.all)}** | ${pct(x.big)} / ${pct(x.small)} / **${pct(x.all)}** | ${pct(x.soup)} |`);
});
console.log(`| **worst** | **${pct(c0.worst)}** | **${pct(d.worst)}** | |`);
console.log(`smaller sources' documents: C0 ${pct(c0.small)}, D ${pct(d.small)}; real long harmless texts: C0 ${pct(c0.longTexts)}, D ${pct(d.longTexts)}`);
console.log(`\nnested harmless sources (threshold chosen without the family, classifier alone), highest five:`);
for (const r of [c0, d]) console.log(`  ${r.name}: ${[...r.nested].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([s, x]) => `${s} ${pct(x)}`).join(", ")}`);
console.log(`\n| | LOSO alone | end | middle | end, host passes | middle, host passes | val ordinary / security flagged | val alone | end | middle | end, host passes | middle, host passes | val texts recall / harmless |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|`);
for (const r of [c0, d]) console.log(`| ${r.name} | ${pct(r.loso.alone)} | ${pct(r.loso.end)} | ${pct(r.loso.middle)} | ${pct(r.loso.endHost)} | ${pct(r.loso.middleHost)} | ${pct(r.val.ordinary)} / ${pct(r.val.security)} | ${pct(r.val.alone)} | ${pct(r.val.end)} | ${pct(r.val.middle)} | ${pct(r.val.endHost)} | ${pct(r.val.middleHost)} | ${r.val.texts} |`);
const bar = {
  "1 worst family ≤ 1%": d.worst <= 0.01,
  "2 val end/middle host passes fall ≤ 2 points, alone ≤ 2": c0.val.endHost - d.val.endHost <= 0.02 && c0.val.middleHost - d.val.middleHost <= 0.02 && c0.val.alone - d.val.alone <= 0.02,
  "3 LOSO recall falls ≤ 0.3 points; nested harmless ≤ max(1%, C0)": c0.recall - d.recall <= 0.003 && d.nested.every(([s, x]) => x <= Math.max(0.01, c0.nested.find(([t]) => t === s)![1])),
};
console.log(`\nbar: ${Object.entries(bar).map(([k, v]) => `${k}: ${v ? "met" : "NOT met"}`).join("; ")}`);

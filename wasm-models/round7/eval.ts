/**
 * Round 7 tables (rules: wasm-models/notes/round7-rules.md) from the scores of run.ts:
 *
 *   npx tsx wasm-models/round7/eval.ts      reads .tmp/round7-loso.json and .tmp/round7-val.json
 *
 * Candidates: C0 max window; C1 line windows' logit − c; C2 max − a·ln(n); C3 lines calibrated as
 * texts (c3), then a3. Constants chosen on harmless documents of the other families (nested) and
 * on all of them (shipped); never on attacks.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { familyOf } from "../lib/loso";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const T = (JSON.parse(readFileSync(here("../metrics.json"), "utf8")) as { calibrated_from: number }).calibrated_from;
const L = Math.log(T / (1 - T));
const BUDGET = 0.005;

interface Scored {
  ns: number;
  nl: number;
  s: number;
  l: number;
}
interface Doc extends Scored {
  family: string;
  group: string;
  target: number;
  len: number;
  soup: number;
  lines?: number[];
}
interface Attack {
  source: string;
  host?: number;
  alone: Scored;
  end: Scored;
  middle: Scored;
}
interface Loso {
  texts: Array<Scored & { source: string; label: number; len: number }>;
  docs: Doc[];
  attacks: Attack[];
  hosts?: Record<string, Scored[]>;
}
interface Val {
  texts: Array<Scored & { source: string; label: number }>;
  ordinary: Array<Scored & { soup: number }>;
  security: Array<Scored & { soup: number }>;
  attacks: Attack[];
}

export interface Params {
  c: number;
  a: number;
}
/** The candidates' text logit: line windows lowered by c, then the max lowered by a·ln(n). */
export const textLogit = (r: Scored, p: Params) => Math.max(r.s, r.l - p.c) - p.a * Math.log(r.ns + r.nl);
const flagged = (r: Scored, p: Params) => textLogit(r, p) > L;

/** Smallest value v such that, per group, at most floor(BUDGET·n) of `need` exceed v (need: the value each item requires). */
function perGroupMin(groups: Map<string, number[]>): number {
  let v = 0;
  for (const need of groups.values()) {
    const sorted = [...need].sort((x, y) => y - x);
    const k = Math.floor(BUDGET * sorted.length);
    v = Math.max(v, sorted[k] ?? 0);
  }
  return v;
}
const byFamily = <T extends { family: string }>(xs: T[], f: (x: T) => number) => {
  const m = new Map<string, number[]>();
  for (const x of xs) (m.get(x.family) ?? m.set(x.family, []).get(x.family)!).push(f(x));
  return m;
};
/** C1: line offset c (a = 0). A document a sliding window flags cannot be mended by c. */
const chooseC = (docs: Doc[]) => perGroupMin(byFamily(docs, (d) => (d.s > L ? Infinity : Math.max(0, d.l - L))));
/** C2 / C3's second step: a given c. */
const chooseA = (docs: Doc[], c: number) => perGroupMin(byFamily(docs, (d) => Math.max(0, (Math.max(d.s, d.l - c) - L) / Math.log(d.ns + d.nl))));
/** C3's first step: lines as texts, at most BUDGET of every family's lines (20 KB documents) over the default. */
const chooseC3 = (docs: Doc[]) => {
  const m = new Map<string, number[]>();
  for (const d of docs) if (d.lines) (m.get(d.family) ?? m.set(d.family, []).get(d.family)!).push(...d.lines.map((z) => Math.max(0, z - L)));
  return perGroupMin(m);
};

const CANDIDATES: Record<string, (docs: Doc[]) => Params> = {
  C0: () => ({ c: 0, a: 0 }),
  C1: (docs) => ({ c: chooseC(docs), a: 0 }),
  C2: (docs) => ({ c: 0, a: chooseA(docs, 0) }),
  C3: (docs) => {
    const c = chooseC3(docs);
    return { c, a: chooseA(docs, c) };
  },
};

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
const rate = <T>(xs: T[], f: (x: T) => boolean) => (xs.length === 0 ? NaN : xs.filter(f).length / xs.length);

const loso = JSON.parse(readFileSync(here("../../.tmp/round7-loso.json"), "utf8")) as Loso;
const held = loso.docs.filter((d) => d.group === "held");
const families = [...new Set(held.map((d) => d.family))].sort();
const names = Object.keys(CANDIDATES);
const shipped = Object.fromEntries(names.map((n) => [n, CANDIDATES[n]!(held)])) as Record<string, Params>;
const nested = Object.fromEntries(names.map((n) => [n, Object.fromEntries(families.map((f) => [f, CANDIDATES[n]!(held.filter((d) => d.family !== f))]))])) as Record<string, Record<string, Params>>;
const fmtP = (p: Params) => `c=${p.c.toFixed(3)} a=${p.a.toFixed(3)}`;

console.log(`default on the uncalibrated scale ${T} (logit ${L.toFixed(4)})`);
console.log(`\nConstants chosen on all 17 families (shipped if adopted): ${names.map((n) => `${n} ${fmtP(shipped[n]!)}`).join("; ")}`);
console.log(`Nested constants range: ${names.map((n) => { const ps = Object.values(nested[n]!); return `${n} c ${Math.min(...ps.map((p) => p.c)).toFixed(3)}–${Math.max(...ps.map((p) => p.c)).toFixed(3)} a ${Math.min(...ps.map((p) => p.a)).toFixed(3)}–${Math.max(...ps.map((p) => p.a)).toFixed(3)}`; }).join("; ")}`);

console.log(`\n### Harmless documents per held-out family, flagged at the default (nested constants; 20 KB / 5 KB / both, 100 + 100 documents)\n`);
console.log(`| family | mean length 20 KB / 5 KB | ${names.join(" | ")} | C0 with the suffix head |`);
console.log(`|---|---|${names.map(() => "---|").join("")}---|`);
const worst: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]));
for (const f of families) {
  const docs = held.filter((d) => d.family === f);
  const big = docs.filter((d) => d.target === 20_000);
  const small = docs.filter((d) => d.target === 5_000);
  const mean = (xs: Doc[]) => Math.round(xs.reduce((s, d) => s + d.len, 0) / xs.length);
  const cells = names.map((n) => {
    const p = nested[n]![f]!;
    const all = rate(docs, (d) => flagged(d, p));
    worst[n] = Math.max(worst[n]!, all);
    return `${pct(rate(big, (d) => flagged(d, p)))} / ${pct(rate(small, (d) => flagged(d, p)))} / **${pct(all)}**`;
  });
  console.log(`| ${f} | ${mean(big)} / ${mean(small)} | ${cells.join(" | ")} | ${pct(rate(docs, (d) => flagged(d, shipped.C0!) || d.soup > 0.9))} |`);
}
console.log(`| **worst family** | | ${names.map((n) => `**${pct(worst[n]!)}**`).join(" | ")} | |`);

console.log(`\n### Smaller harmless sources (reported only; shipped constants), flagged 20 KB / 5 KB\n`);
for (const f of [...new Set(loso.docs.filter((d) => d.group === "small").map((d) => d.family))].sort()) {
  const docs = loso.docs.filter((d) => d.family === f);
  console.log(`| ${f} | ${names.map((n) => `${n} ${pct(rate(docs.filter((d) => d.target === 20_000), (d) => flagged(d, shipped[n]!)))} / ${pct(rate(docs.filter((d) => d.target === 5_000), (d) => flagged(d, shipped[n]!)))}`).join(" | ")} | mean length ${Math.round(docs.reduce((s, d) => s + d.len, 0) / docs.length)} |`);
}

const longHarmless = loso.texts.filter((t) => t.label === 0 && t.len > 2_000);
const paramsFor = (n: string, source: string) => nested[n]![familyOf(source)] ?? shipped[n]!;
console.log(`\n### Real long harmless texts (> 2,000 code units, LOSO scores, nested constants of their family): ${longHarmless.length} texts`);
const bySource = [...new Set(longHarmless.map((t) => t.source))].sort();
console.log(`by source: ${bySource.map((s) => `${s} ${longHarmless.filter((t) => t.source === s).length}`).join(", ")}`);
console.log(names.map((n) => `${n} ${pct(rate(longHarmless, (t) => flagged(t, paramsFor(n, t.source))))} (${longHarmless.filter((t) => flagged(t, paramsFor(n, t.source))).length})`).join("; "));

console.log(`\n### LOSO short texts at the default (shipped constants)\n`);
const attacksT = loso.texts.filter((t) => t.label === 1);
const harmlessT = loso.texts.filter((t) => t.label === 0);
for (const n of names) {
  const p = shipped[n]!;
  const srcs = [...new Set(harmlessT.map((t) => t.source))].sort();
  const worstH = srcs.map((s) => [s, rate(harmlessT.filter((t) => t.source === s), (t) => flagged(t, p))] as const).sort((x, y) => y[1] - x[1])[0]!;
  console.log(`${n}: recall ${pct(rate(attacksT, (t) => flagged(t, p)))} (${attacksT.filter((t) => flagged(t, p)).length} of ${attacksT.length}); harmless ${pct(rate(harmlessT, (t) => flagged(t, p)))}; highest harmless source ${worstH[0]} ${pct(worstH[1])}`);
}

console.log(`\n### Attacks in documents, LOSO (${loso.attacks.length} attacks of ≤ 1,000 code units; shipped constants): alone / at end / in middle\n`);
for (const n of names) {
  const p = shipped[n]!;
  const A = loso.attacks;
  console.log(`| ${n} | ${pct(rate(A, (x) => flagged(x.alone, p)))} | ${pct(rate(A, (x) => flagged(x.end, p)))} | ${pct(rate(A, (x) => flagged(x.middle, p)))} | end+middle ${pct((rate(A, (x) => flagged(x.end, p)) + rate(A, (x) => flagged(x.middle, p))) / 2)} |`);
}

try {
  const val = JSON.parse(readFileSync(here("../../.tmp/round7-val.json"), "utf8")) as Val;
  console.log(`\n### Validation split (${val.ordinary.length} + ${val.security.length} documents, ${val.attacks.length} attacks; shipped constants)\n`);
  console.log(`| | ordinary flagged | security flagged | attack alone | attack at end | attack in middle | val texts: recall / harmless flagged |`);
  console.log(`|---|---|---|---|---|---|---|`);
  for (const n of names) {
    const p = shipped[n]!;
    const A = val.attacks;
    console.log(`| ${n} | ${pct(rate(val.ordinary, (d) => flagged(d, p)))} | ${pct(rate(val.security, (d) => flagged(d, p)))} | ${pct(rate(A, (x) => flagged(x.alone, p)))} | ${pct(rate(A, (x) => flagged(x.end, p)))} | ${pct(rate(A, (x) => flagged(x.middle, p)))} | ${pct(rate(val.texts.filter((t) => t.label === 1), (t) => flagged(t, p)))} / ${pct(rate(val.texts.filter((t) => t.label === 0), (t) => flagged(t, p)))} |`);
  }
  console.log(`suffix head on the validation documents (in-sample): ordinary ${pct(rate(val.ordinary, (d) => d.soup > 0.9))}, security ${pct(rate(val.security, (d) => d.soup > 0.9))}`);
} catch (e) {
  console.log(`no validation file: ${String(e)}`);
}

// Explanation, written after the results above were seen: not used to choose or to judge.
console.log(`\n### Explanation (after the results; not selection)\n`);
for (const f of families) {
  const docs = held.filter((d) => d.family === f && flagged(d, shipped.C0!));
  if (docs.length > 0) console.log(`C0 ${f}: ${docs.length} flagged documents, a sliding window over the default in ${docs.filter((d) => d.s > L).length}, only a line window in ${docs.filter((d) => d.s <= L).length}`);
}
const hostFlag = (x: Attack, p: Params) => {
  const h = loso.hosts?.[familyOf(x.source)]?.[x.host ?? -1];
  return h ? flagged(h, p) : false;
};
console.log(`LOSO hosts flagged alone at C0: ${Object.entries(loso.hosts ?? {}).map(([f, hs]) => `${f} ${hs.filter((h) => flagged(h, shipped.C0!)).length}/${hs.length}`).filter((x) => !x.includes(" 0/")).join(", ") || "none"}`);
for (const n of names) {
  const p = shipped[n]!;
  const A = loso.attacks;
  console.log(`LOSO ${n}: attack found where the host alone is not flagged: end ${pct(rate(A, (x) => flagged(x.end, p) && !hostFlag(x, p)))}, middle ${pct(rate(A, (x) => flagged(x.middle, p) && !hostFlag(x, p)))}`);
}
try {
  const val = JSON.parse(readFileSync(here("../../.tmp/round7-val.json"), "utf8")) as Val;
  for (const n of names) {
    const p = shipped[n]!;
    const A = val.attacks;
    const host = (i: number) => flagged(val.ordinary[i % val.ordinary.length]!, p);
    console.log(`val ${n}: attack found where the host alone is not flagged: end ${pct(rate(A.map((x, i) => [x, i] as const), ([x, i]) => flagged(x.end, p) && !host(i)))}, middle ${pct(rate(A.map((x, i) => [x, i] as const), ([x, i]) => flagged(x.middle, p) && !host(i)))}`);
  }
} catch {
  /* no validation file */
}
// Post hoc: the line offset if purplellama_system (whose documents sliding windows flag) is left out of the choice.
{
  const others = held.filter((d) => d.family !== "purplellama_system");
  const p = { c: chooseC(others), a: 0 };
  const worstOther = Math.max(...families.filter((f) => f !== "purplellama_system").map((f) => rate(held.filter((d) => d.family === f), (d) => flagged(d, { c: chooseC(others.filter((x) => x.family !== f)), a: 0 }))));
  const A = loso.attacks;
  console.log(`post hoc C1 without purplellama_system: c=${p.c.toFixed(3)}; nested worst of the other 16 families ${pct(worstOther)}; purplellama_system ${pct(rate(held.filter((d) => d.family === "purplellama_system"), (d) => flagged(d, p)))}; LOSO attack alone/end/middle ${pct(rate(A, (x) => flagged(x.alone, p)))} / ${pct(rate(A, (x) => flagged(x.end, p)))} / ${pct(rate(A, (x) => flagged(x.middle, p)))}; host not flagged: end ${pct(rate(A, (x) => flagged(x.end, p) && !hostFlag(x, p)))}`);
  try {
    const val = JSON.parse(readFileSync(here("../../.tmp/round7-val.json"), "utf8")) as Val;
    const V = val.attacks;
    const host = (i: number) => flagged(val.ordinary[i % val.ordinary.length]!, p);
    console.log(`  val: ordinary ${pct(rate(val.ordinary, (d) => flagged(d, p)))}, security ${pct(rate(val.security, (d) => flagged(d, p)))}, attack alone/end/middle ${pct(rate(V, (x) => flagged(x.alone, p)))} / ${pct(rate(V, (x) => flagged(x.end, p)))} / ${pct(rate(V, (x) => flagged(x.middle, p)))}; host not flagged: end ${pct(rate(V.map((x, i) => [x, i] as const), ([x, i]) => flagged(x.end, p) && !host(i)))}`);
  } catch {
    /* no validation file */
  }
}
// Post hoc: C2 with purplellama_system left out of the choice (what the other 16 families need).
{
  const others = held.filter((d) => d.family !== "purplellama_system");
  const p = { c: 0, a: chooseA(others, 0) };
  const worstOther = Math.max(...families.filter((f) => f !== "purplellama_system").map((f) => rate(held.filter((d) => d.family === f), (d) => flagged(d, { c: 0, a: chooseA(others.filter((x) => x.family !== f), 0) }))));
  const A = loso.attacks;
  console.log(`post hoc C2 without purplellama_system: a=${p.a.toFixed(3)}; nested worst of the other 16 families ${pct(worstOther)}; purplellama_system ${pct(rate(held.filter((d) => d.family === "purplellama_system"), (d) => flagged(d, p)))}; LOSO short-text recall ${pct(rate(attacksT, (t) => flagged(t, p)))}; LOSO attack alone/end/middle ${pct(rate(A, (x) => flagged(x.alone, p)))} / ${pct(rate(A, (x) => flagged(x.end, p)))} / ${pct(rate(A, (x) => flagged(x.middle, p)))}; host not flagged: end ${pct(rate(A, (x) => flagged(x.end, p) && !hostFlag(x, p)))}`);
  try {
    const val = JSON.parse(readFileSync(here("../../.tmp/round7-val.json"), "utf8")) as Val;
    const V = val.attacks;
    const host = (i: number) => flagged(val.ordinary[i % val.ordinary.length]!, p);
    console.log(`  val: ordinary ${pct(rate(val.ordinary, (d) => flagged(d, p)))}, security ${pct(rate(val.security, (d) => flagged(d, p)))}, attack alone/end/middle ${pct(rate(V, (x) => flagged(x.alone, p)))} / ${pct(rate(V, (x) => flagged(x.end, p)))} / ${pct(rate(V, (x) => flagged(x.middle, p)))}; host not flagged: end ${pct(rate(V.map((x, i) => [x, i] as const), ([x, i]) => flagged(x.end, p) && !host(i)))}`);
  } catch {
    /* no validation file */
  }
}

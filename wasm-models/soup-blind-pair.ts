/**
 * Issue 10, round 24b (notes/round24b-rules.md): the suffix checks of lib/soup-blind.ts (50 vicuna
 * hosts, each suffix appended after ". ") scored by the SHIPPED pair as the Worker scores them
 * (lib/shipped-pair.ts), where soup-blind.ts scores them by the head made without vicuna. The
 * hosts and suffixes are the ones `train.ts --soup-only` wrote beside its run:
 *
 *   npx tsx wasm-models/train.ts --soup-only            (.tmp/soup-blind-texts.json, .tmp/soup-run-r14.json)
 *   npx tsx wasm-models/soup-blind-pair.ts [.tmp/soup-blind-texts.json] [.tmp/soup-run-r14.json] [candidate soup-table.ts]
 *
 * With a third argument, that suffix head (a candidate's, round 33) takes the bundled head's place.
 *
 * Per check: flagged of the suffixed texts by the pair, the classifier alone and the head alone,
 * the hosts alone, hosts caught per suffix; then the first five suffixes of the LLaMA draw with
 * their scores (fixed by the rules, not chosen by score).
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { suffixed, type BlindCheck, type BlindTexts } from "./lib/soup-blind";
import { DEFAULT_THRESHOLD, shippedPair, type PairScore } from "./lib/shipped-pair";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const [textsFile = here("../.tmp/soup-blind-texts.json"), runFile = here("../.tmp/soup-run-r14.json"), soupTable] = process.argv.slice(2);
const { hosts, sets } = JSON.parse(readFileSync(textsFile, "utf8")) as BlindTexts;
const heldOut = existsSync(runFile) ? (JSON.parse(readFileSync(runFile, "utf8")) as { blind?: BlindCheck }).blind : undefined;
const pair = await shippedPair(soupTable);
const EXAMPLES = 5;

type Part = keyof PairScore;
const PARTS: Part[] = ["score", "classifier", "head"];
const flagged = (xs: PairScore[], part: Part) => xs.filter((x) => x[part] >= DEFAULT_THRESHOLD).length;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const half = (per: number[]) => per.filter((k) => 2 * k >= hosts.length).length;

const alone: PairScore[] = [];
for (const h of hosts) alone.push(await pair(h));
console.log(`shipped pair at ${DEFAULT_THRESHOLD}; hosts alone flagged (pair / classifier / head): ${PARTS.map((p) => flagged(alone, p)).join(" / ")} of ${hosts.length}\n`);
console.log("| check | suffixes | texts | pair | classifier alone | head alone | suffixes caught on half the hosts or more (pair) | head without vicuna (soup-blind.ts) |");
console.log("|---|---|---|---|---|---|---|---|");
const perSuffix = new Map<string, PairScore[][]>();
for (const { key, suffixes } of sets) {
  const scores: PairScore[][] = [];
  for (const s of suffixes) {
    const row: PairScore[] = [];
    for (const h of hosts) row.push(await pair(suffixed(h, s)));
    scores.push(row);
  }
  perSuffix.set(key, scores);
  const all = scores.flat();
  const saved = key === "gcg" ? heldOut : heldOut?.[key];
  const per = scores.map((row) => flagged(row, "score"));
  console.log(`| ${key} | ${suffixes.length} | ${all.length} | ${flagged(all, "score")} | ${flagged(all, "classifier")} | ${flagged(all, "head")} | ${half(per)} | ${saved ? `${saved.suffixed_flagged} (hosts alone ${saved.hosts_flagged}; ${half(saved.per_suffix)} suffixes on half or more)` : "–"} |`);
}
console.log("\nPer suffix, hosts caught of 50 (draw order):\n");
for (const { key } of sets) {
  const scores = perSuffix.get(key)!;
  const saved = key === "gcg" ? heldOut : heldOut?.[key];
  console.log(`- ${key}: pair ${scores.map((row) => flagged(row, "score")).join(" ")}; head alone ${scores.map((row) => flagged(row, "head")).join(" ")}${saved ? `; head without vicuna ${saved.per_suffix.join(" ")}` : ""}`);
}
const llama = sets.find((s) => s.key === "llama_soup");
if (llama) {
  console.log(`\nThe first ${EXAMPLES} suffixes of the LLaMA (ASCII) draw:\n`);
  console.log("| # | suffix | pair: hosts caught | head without vicuna: hosts caught | pair score, first host | pair score, median of hosts | classifier / head, median |");
  console.log("|---|---|---|---|---|---|---|");
  for (const [i, s] of llama.suffixes.slice(0, EXAMPLES).entries()) {
    const row = perSuffix.get("llama_soup")![i]!;
    const md = (p: Part) => median(row.map((x) => x[p])).toPrecision(3);
    console.log(`| ${i + 1} | ${JSON.stringify(s).replaceAll("|", "\\|")} | ${flagged(row, "score")} | ${heldOut?.llama_soup?.per_suffix[i] ?? "–"} | ${row[0]!.score.toPrecision(3)} | ${md("score")} | ${md("classifier")} / ${md("head")} |`);
  }
}

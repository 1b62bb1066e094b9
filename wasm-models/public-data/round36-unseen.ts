/**
 * Issue 10, round 36 (notes/round36-rules.md): custom-GPT system prompts that no data set or
 * round of ours has held, for EVALUATION ONLY (never committed or trained on): two more public
 * collections of leaked GPT instructions, read from local clones at fixed commits —
 * LouisShark/chatgpt_system_prompt (GPL-3.0; prompts/gpts, the "GPT instructions" block) and
 * linexjlin/GPTs (no licence stated; prompts/*.md, the first fenced block). A GPT that
 * TheBigPromptLibrary also holds (rounds 10 and 35) or that the first collection already gave is
 * left out (same first 300 letters and digits), so every text is new to the directive head.
 *
 *   npx tsx wasm-models/public-data/round36-unseen.ts <LouisShark git dir> <linexjlin git dir> <out.json>
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { gptInstructions, heldKeys, PERSONA_JAILBREAK, textKey } from "./prompt-collections";

const LOUISSHARK = "37a95e8a062d78424546e5acfbe0f95b3de79e2a";
const LINEXJLIN = "3adfb7b38423b64a995057483c1f9007ed5f4da5";
const MIN = 40;
const MAX = 20000;

const git = (dir: string, rev: string, path: string) => execFileSync("git", ["-C", dir, "show", `${rev}:${path}`], { encoding: "utf8", maxBuffer: 1 << 28 });
const ls = (dir: string, rev: string, path: string) => execFileSync("git", ["-C", dir, "ls-tree", "-r", "--name-only", "-z", rev, path], { encoding: "utf8" }).split("\0").filter(Boolean);
/** The first fenced block of a page. */
const firstFence = (md: string): string | null => /```[a-z]*\n([\s\S]*?)\n```/.exec(md)?.[1]?.trim() ?? null;

const [sharkDir, linexDir, out] = process.argv.slice(2);
if (!sharkDir || !linexDir || !out) throw new Error("usage: round36-unseen.ts <LouisShark git dir> <linexjlin git dir> <out.json>");
const held = heldKeys(["round35-unseen.json"]);
const rows: Array<{ text: string; label: 0; source: string }> = [];
const take = (text: string | null, source: string) => {
  if (!text || text.length < MIN || text.length > MAX || PERSONA_JAILBREAK.test(text) || held.has(textKey(text))) return;
  held.add(textKey(text));
  rows.push({ text, label: 0, source });
};
for (const f of ls(sharkDir, LOUISSHARK, "prompts/gpts/").filter((x) => x.endsWith(".md")).sort()) take(gptInstructions(git(sharkDir, LOUISSHARK, f))?.text ?? null, "gpts_louisshark");
for (const f of ls(linexDir, LINEXJLIN, "prompts/").filter((x) => x.endsWith(".md")).sort()) take(firstFence(git(linexDir, LINEXJLIN, f)), "gpts_linexjlin");
writeFileSync(out, JSON.stringify(rows));
for (const s of ["gpts_louisshark", "gpts_linexjlin"]) console.log(`${s}: ${rows.filter((r) => r.source === s).length}`);

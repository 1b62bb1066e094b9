/**
 * Issue 10, round 28 (notes/round28-rules.md): harmless texts of two public sources that no rule
 * version and no model of ours has seen, for EVALUATION ONLY (neither is committed or trained
 * on): the agent system prompts collected in x1xhlol/system-prompts-and-models-of-ai-tools
 * (GPL-3.0; every .txt and .yaml prompt file, one text each) and the user instructions of
 * AlpacaEval's koala, helpful_base and oasst subsets (tatsu-lab/alpaca_eval, the evaluation set as
 * stored with any model's outputs; its selfinstruct and vicuna subsets overlap our own sources).
 * Read from local clones:
 *
 *   npx tsx wasm-models/public-data/round28-unseen.ts <x1xhlol git dir> <alpaca_eval git dir> <out.json>
 *
 * Rows are {text, label: 0, source}.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";

const AGENTS = { commit: "b8e95891fe6c8f1db651a8ca4d8217f22c73849b" };
const ALPACA_EVAL = { commit: "cd543a149df89434d8a54582c0151c0b945c3d20", file: "results/NullModel/model_outputs.json", subsets: ["koala", "helpful_base", "oasst"] };

const git = (dir: string, rev: string, path: string) => execFileSync("git", ["-C", dir, "show", `${rev}:${path}`], { encoding: "utf8", maxBuffer: 1 << 28 });
const ls = (dir: string, rev: string) => execFileSync("git", ["-C", dir, "ls-tree", "-r", "--name-only", "-z", rev], { encoding: "utf8" }).split("\0").filter(Boolean);

function agentPrompts(dir: string): string[] {
  const files = ls(dir, AGENTS.commit).filter((p) => /\.(txt|ya?ml)$/i.test(p) && !/(^|\/)(readme|license|funding)/i.test(p));
  return [...new Set(files.map((p) => git(dir, AGENTS.commit, p)).filter((t) => t.trim() !== ""))];
}

function alpacaEval(dir: string): string[] {
  const rows = JSON.parse(git(dir, ALPACA_EVAL.commit, ALPACA_EVAL.file)) as Array<{ dataset: string; instruction: string }>;
  return [...new Set(rows.filter((r) => ALPACA_EVAL.subsets.includes(r.dataset)).map((r) => r.instruction))];
}

const [agentsDir, alpacaDir, out] = process.argv.slice(2);
if (!agentsDir || !alpacaDir || !out) throw new Error("usage: round28-unseen.ts <x1xhlol git dir> <alpaca_eval git dir> <out.json>");
const agents = agentPrompts(agentsDir);
const instructions = alpacaEval(alpacaDir);
writeFileSync(out, JSON.stringify([...agents.map((text) => ({ text, label: 0, source: "agent_system_prompts" })), ...instructions.map((text) => ({ text, label: 0, source: "alpaca_eval_instructions" }))]));
console.log(`${agents.length} agent system prompts, ${instructions.length} AlpacaEval instructions -> ${out}`);

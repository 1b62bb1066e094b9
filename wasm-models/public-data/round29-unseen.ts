/**
 * Issue 10, round 29 (notes/round29-rules.md): system prompts of deployed products collected in
 * jujumilk3/leaked-system-prompts, for EVALUATION ONLY (no licence; never committed or trained
 * on): every file with a "## System Prompt" section, the text after that heading (the files'
 * titles, sources and notes left out). Read from a local clone:
 *
 *   npx tsx wasm-models/public-data/round29-unseen.ts <leaked-system-prompts git dir> <out.json>
 *
 * Rows are {text, label: 0, source}.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";

const COMMIT = "be84e83f0ec9d26673d27ae903ee99c0696e7c6f";
const HEADING = /^## System Prompt[^\n]*\n/m;

const [dir, out] = process.argv.slice(2);
if (!dir || !out) throw new Error("usage: round29-unseen.ts <leaked-system-prompts git dir> <out.json>");
const files = execFileSync("git", ["-C", dir, "ls-tree", "-r", "--name-only", "-z", COMMIT], { encoding: "utf8" }).split("\0").filter((p) => p.endsWith(".md") && !/readme/i.test(p));
const texts = new Set<string>();
for (const file of files) {
  const md = execFileSync("git", ["-C", dir, "show", `${COMMIT}:${file}`], { encoding: "utf8", maxBuffer: 1 << 28 });
  const heading = HEADING.exec(md);
  const prompt = heading ? md.slice(heading.index + heading[0].length).trim() : "";
  if (prompt) texts.add(prompt);
}
writeFileSync(out, JSON.stringify([...texts].map((text) => ({ text, label: 0, source: "leaked_system_prompts" }))));
console.log(`${texts.size} system prompts -> ${out}`);

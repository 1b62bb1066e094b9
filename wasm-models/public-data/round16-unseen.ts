/**
 * Issue 10, round 16 (notes/round16-rules.md): the harmless texts of two public sources that no
 * model of ours has seen, for EVALUATION ONLY. Neither is committed or trained on:
 * System-Prompt-Library has no licence; fabric is MIT but is only needed here. Read from local clones:
 *
 *   npx tsx wasm-models/public-data/round16-unseen.ts <System-Prompt-Library git dir> <fabric git dir> <out.json>
 *
 * Rows are {text, label: 0, source} as score-two-pairs.ts reads them.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";

const SPL = { commit: "7ac6d15a021cc2ba2f89736679e2eece6aaebea2", dir: "system-prompts/json" };
const FABRIC = { commit: "272f04dd3278f99bee49e94a7747b54708745a5d", dir: "data/patterns" };

const git = (dir: string, rev: string, path: string) => execFileSync("git", ["-C", dir, "show", `${rev}:${path}`], { encoding: "utf8", maxBuffer: 1 << 28 });
const ls = (dir: string, rev: string, path: string) => execFileSync("git", ["-C", dir, "ls-tree", "-r", "--name-only", "-z", rev, path], { encoding: "utf8" }).split("\0").filter(Boolean);

function systemPrompts(dir: string): string[] {
  const texts = ls(dir, SPL.commit, SPL.dir).filter((p) => p.endsWith(".json")).map((p) => (JSON.parse(git(dir, SPL.commit, p)) as { "System Prompt"?: string | null })["System Prompt"]);
  return [...new Set(texts.filter((t): t is string => typeof t === "string" && t.trim() !== ""))];
}

/** Each pattern's system prompt (data/patterns/<name>/system.md), all of them. */
function fabricPatterns(dir: string): string[] {
  const files = ls(dir, FABRIC.commit, FABRIC.dir).filter((p) => /^data\/patterns\/[^/]+\/system\.md$/.test(p));
  return [...new Set(files.map((p) => git(dir, FABRIC.commit, p)).filter((t) => t.trim() !== ""))];
}

const [splDir, fabricDir, out] = process.argv.slice(2);
if (!splDir || !fabricDir || !out) throw new Error("usage: round16-unseen.ts <System-Prompt-Library git dir> <fabric git dir> <out.json>");
const rows = [...systemPrompts(splDir).map((text) => ({ text, label: 0, source: "system_prompt_library" })), ...fabricPatterns(fabricDir).map((text) => ({ text, label: 0, source: "fabric_patterns" }))];
writeFileSync(out, JSON.stringify(rows));
console.log(`${rows.filter((r) => r.source === "system_prompt_library").length} system prompts, ${rows.filter((r) => r.source === "fabric_patterns").length} fabric patterns -> ${out}`);

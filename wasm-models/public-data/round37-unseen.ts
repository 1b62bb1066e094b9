/**
 * Issue 10, round 37 (notes/round37-rules.md): vendors' and open-source projects' system prompts
 * from LouisShark/chatgpt_system_prompt (GPL-3.0) at a fixed commit that no data set or round of
 * ours holds, for EVALUATION ONLY (never committed or trained on): prompts/official-product and
 * prompts/opensource-prj, every .md and .txt but READMEs and tables of contents, 40–20,000
 * characters, whole files. A text whose first 300 letters and digits match a text of any earlier
 * set (rounds 10, 16, 28, 29, 35, 36) is left out.
 *
 *   npx tsx wasm-models/public-data/round37-unseen.ts <LouisShark git dir> <out.json>
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { heldKeys, textKey } from "./prompt-collections";

const COMMIT = "37a95e8a062d78424546e5acfbe0f95b3de79e2a";
const FOLDERS = [
  { path: "prompts/official-product/", source: "product_prompts_louisshark" },
  { path: "prompts/opensource-prj/", source: "project_prompts_louisshark" },
];
const MIN = 40;
const MAX = 20000;
const EARLIER = ["round16-unseen.json", "round28-unseen.json", "round29-unseen.json", "round35-unseen.json", "round36-unseen.json"];

const git = (dir: string, path: string) => execFileSync("git", ["-C", dir, "show", `${COMMIT}:${path}`], { encoding: "utf8", maxBuffer: 1 << 28 });
const ls = (dir: string, path: string) => execFileSync("git", ["-C", dir, "ls-tree", "-r", "--name-only", "-z", COMMIT, path], { encoding: "utf8" }).split("\0").filter(Boolean);

const [dir, out] = process.argv.slice(2);
if (!dir || !out) throw new Error("usage: round37-unseen.ts <LouisShark git dir> <out.json>");
const held = heldKeys(EARLIER);
const rows: Array<{ text: string; label: 0; source: string }> = [];
for (const { path, source } of FOLDERS) {
  for (const f of ls(dir, path).filter((x) => /\.(md|txt)$/i.test(x) && !/(^|\/)(readme|toc)\.md$/i.test(x)).sort()) {
    const text = git(dir, f).trim();
    if (text.length < MIN || text.length > MAX || held.has(textKey(text))) continue;
    held.add(textKey(text));
    rows.push({ text, label: 0, source });
  }
}
writeFileSync(out, JSON.stringify(rows));
for (const { source } of FOLDERS) console.log(`${source}: ${rows.filter((r) => r.source === source).length}`);

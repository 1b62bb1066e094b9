/**
 * Issue 10, round 45 (notes/round45-rules.md): user instructions collected in the wild that no data
 * set of ours holds, for EVALUATION ONLY (never committed or trained on; the data are for
 * non-commercial research): XueFuzhao/InstructionWild data_v2 `user_1.jsonl` (429, from Twitter)
 * and `user_2.jsonl` (248, from Cookup.AI) at a fixed commit; `user_3.jsonl` is prompts.chat, which
 * round 5's role-play source already holds, and `user_4.jsonl` is not stored.
 *
 *   npx tsx wasm-models/public-data/round45-unseen.ts <InstructionWild git dir> <out.json>
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";

const COMMIT = "047fa6b9abd4a0b2d5ed6f0f9bbc14df5bd6b1d6";
const FILES = [
  ["data_v2/user_1.jsonl", "instructionwild_twitter"],
  ["data_v2/user_2.jsonl", "instructionwild_cookup"],
] as const;

const [dir, out] = process.argv.slice(2);
if (!dir || !out) throw new Error("usage: round45-unseen.ts <InstructionWild git dir> <out.json>");
let skipped = 0;
const rows = FILES.flatMap(([file, source]) =>
  execFileSync("git", ["-C", dir, "show", `${COMMIT}:${file}`], { encoding: "utf8", maxBuffer: 1 << 26 })
    .split("\n")
    .filter((l) => l.trim() !== "")
    .flatMap((l) => {
      // A few lines are not valid JSON (unescaped backslashes); they are left out and counted.
      try {
        return [(JSON.parse(l) as { instruction: string }).instruction.trim()];
      } catch {
        skipped++;
        return [];
      }
    })
    .filter((text) => text.length >= 10)
    .map((text) => ({ text, label: 0 as const, source })),
);
writeFileSync(out, JSON.stringify([...new Map(rows.map((r) => [r.text, r])).values()]));
for (const [, source] of FILES) console.log(`${source}: ${rows.filter((r) => r.source === source).length}`);
console.log(`lines not valid JSON, left out: ${skipped}`);

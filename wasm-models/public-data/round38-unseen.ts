/**
 * Issue 10, round 38 (notes/round38-rules.md): harmless texts no data set or round of ours has
 * held, for EVALUATION ONLY (never committed or trained on), read from local clones at fixed
 * commits:
 *
 * - system prompts (whole .md/.txt files, 40–20,000 characters, no READMEs): asgeirtj/
 *   system_prompts_leaks (`leaks_asgeirtj`), dontriskit/awesome-ai-system-prompts
 *   (`prompts_dontriskit`), elder-plinius/CL4R1T4S (`prompts_cl4r1t4s`); a text whose first 300
 *   letters and digits match one of any earlier set (rounds 10, 16, 28, 29, 35–37) or of an
 *   earlier file here is left out — versions of the same product prompt that differ stay in;
 * - user requests: teknium1/GPTeacher (MIT) Codegen and Toolformer instructions with their input
 *   (round 10 used its Roleplay file only), SAMPLE each, seeded.
 *
 *   npx tsx wasm-models/public-data/round38-unseen.ts <asgeirtj> <dontriskit> <CL4R1T4S> <GPTeacher> <out.json>   (git dirs)
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { heldKeys, textKey } from "./prompt-collections";
import { rng } from "../lib/rng";

const SYSTEM = [
  { source: "leaks_asgeirtj", commit: "afb6df6912cf72c11f268bd55b0284f5b63d0fd5" },
  { source: "prompts_dontriskit", commit: "74964625038011525ab44c3a673fc605b2c765b3" },
  { source: "prompts_cl4r1t4s", commit: "c3b01557b062e419ccc03e7cf810f9b8bf0ac558" },
];
const GPTEACHER = { commit: "481075123c29854bddb82655badeef6a438f2436", files: [["gpteacher_codegen", "Codegen/codegen-instruct.json"], ["gpteacher_toolformer", "Toolformer/toolformer-similarity-0.6-dataset.json"]] };
const SAMPLE = 1000;
const SEED = 38;
const MIN = 40;
const MAX = 20000;
const EARLIER = ["round16-unseen.json", "round28-unseen.json", "round29-unseen.json", "round35-unseen.json", "round36-unseen.json", "round37-unseen.json"];

const git = (dir: string, rev: string, path: string) => execFileSync("git", ["-C", dir, "show", `${rev}:${path}`], { encoding: "utf8", maxBuffer: 1 << 28 });
const ls = (dir: string, rev: string) => execFileSync("git", ["-C", dir, "ls-tree", "-r", "--name-only", "-z", rev], { encoding: "utf8" }).split("\0").filter(Boolean);

const dirs = process.argv.slice(2, 6);
const out = process.argv[6];
if (dirs.length !== 4 || !out) throw new Error("usage: round38-unseen.ts <asgeirtj> <dontriskit> <CL4R1T4S> <GPTeacher> <out.json>");
const held = heldKeys(EARLIER);
const rows: Array<{ text: string; label: 0; source: string }> = [];
SYSTEM.forEach(({ source, commit }, i) => {
  for (const f of ls(dirs[i]!, commit).filter((x) => /\.(md|txt)$/i.test(x) && !/(^|\/)readme\.md$/i.test(x)).sort()) {
    const text = git(dirs[i]!, commit, f).trim();
    if (text.length < MIN || text.length > MAX || held.has(textKey(text))) continue;
    held.add(textKey(text));
    rows.push({ text, label: 0, source });
  }
});
const random = rng(SEED);
for (const [source, file] of GPTEACHER.files) {
  const all = (JSON.parse(git(dirs[3]!, GPTEACHER.commit, file!)) as Array<{ instruction: string; input: string }>).map((r) => (r.input ? `${r.instruction}\n\n${r.input}` : r.instruction).trim());
  const pool = [...new Set(all)].filter((t) => t.length >= 10);
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  for (const text of pool.slice(0, SAMPLE)) rows.push({ text, label: 0, source: source! });
}
writeFileSync(out, JSON.stringify(rows));
for (const s of [...SYSTEM.map((x) => x.source), ...GPTEACHER.files.map((f) => f[0]!)]) console.log(`${s}: ${rows.filter((r) => r.source === s).length}`);

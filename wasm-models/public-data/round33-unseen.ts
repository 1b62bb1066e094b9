/**
 * Issue 10, round 33 (notes/round33-rules.md): harmless source code that no head of ours has been
 * fitted or calibrated on, for EVALUATION ONLY (never committed or trained on): code is what
 * a suffix head most easily mistakes for soup. From TheAlgorithms/Python and TheAlgorithms/Rust
 * (both MIT) at fixed commits, read from local clones:
 *
 *   npx tsx wasm-models/public-data/round33-unseen.ts <Python git dir> <Rust git dir> <out.json>
 *
 * Per language: PER_LANGUAGE files picked by a seeded shuffle of the sorted file list; from each,
 * one chunk: consecutive blank-line-separated blocks from a seeded block on, until the chunk has
 * MIN_CHARS characters (cut at MAX_CHARS). Rows are {text, label: 0, source}.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { rng } from "../lib/rng";

const REPOS = [
  { source: "algorithms_python", commit: "f5988cc09713315817df6a7e327e258013a94440", ext: /\.py$/ },
  { source: "algorithms_rust", commit: "2c53ddfa4b43da4df34bc2f990c5e806f455cb90", ext: /\.rs$/ },
];
const PER_LANGUAGE = 500;
const MIN_CHARS = 200;
const MAX_CHARS = 2000;
const SEED = 33;

const git = (dir: string, args: string[]) => execFileSync("git", ["-C", dir, ...args], { encoding: "utf8", maxBuffer: 1 << 28 });

function chunks(dir: string, commit: string, ext: RegExp, random: () => number): string[] {
  const files = git(dir, ["ls-tree", "-r", "--name-only", "-z", commit]).split("\0").filter((p) => ext.test(p)).sort();
  for (let i = files.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [files[i], files[j]] = [files[j]!, files[i]!];
  }
  const out: string[] = [];
  for (const path of files) {
    if (out.length === PER_LANGUAGE) break;
    const blocks = git(dir, ["show", `${commit}:${path}`]).split(/\n\s*\n/).filter((b) => b.trim() !== "");
    if (blocks.length === 0) continue;
    let text = "";
    for (let b = Math.floor(random() * blocks.length); b < blocks.length && text.length < MIN_CHARS; b++) text += (text ? "\n\n" : "") + blocks[b];
    text = text.slice(0, MAX_CHARS).trim();
    if (text.length >= MIN_CHARS / 2) out.push(text);
  }
  return out;
}

const [pythonDir, rustDir, outFile] = process.argv.slice(2);
if (!pythonDir || !rustDir || !outFile) throw new Error("usage: round33-unseen.ts <Python git dir> <Rust git dir> <out.json>");
const random = rng(SEED);
const rows = REPOS.flatMap((r, i) => chunks([pythonDir, rustDir][i]!, r.commit, r.ext, random).map((text) => ({ text, label: 0, source: r.source })));
writeFileSync(outFile, JSON.stringify(rows));
for (const r of REPOS) console.log(`${r.source}: ${rows.filter((x) => x.source === r.source).length}`);

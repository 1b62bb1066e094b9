/**
 * Issue 10, fifth round: copies public attack prompts into wasm-models/data/round5-public.json
 * (run once; the JSON is committed, so training never needs the repository):
 *
 *   npx tsx wasm-models/public-data/import-round5.ts <git dir of utkusen/promptmap>
 *
 * The argument is a git directory; files are read at the commit below. Source (licence in
 * MODEL_CARD.md): utkusen/promptmap's test rules (MIT), the `prompt` of every rule in the
 * categories prompt_stealing (system-prompt extraction), distraction (goal hijacking) and
 * jailbreak. Its harmful, hate and social_bias rules are plainly harmful requests without an
 * attack on the model, which the screening model is not for (MODEL_CARD.md, Intended use), so
 * they are left out. The rules' older flat copies (rules/*.yaml) duplicate the folders and are
 * skipped; exact duplicates are dropped anyway.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import type { LabelledText } from "./import-attacks";

const PROMPTMAP_COMMIT = "d305132";
const CATEGORIES = ["prompt_stealing", "distraction", "jailbreak"];

const git = (dir: string, rev: string, path: string) => execFileSync("git", ["-C", dir, "show", `${rev}:${path}`], { encoding: "utf8", maxBuffer: 1 << 26 });
const ls = (dir: string, rev: string, path: string) => execFileSync("git", ["-C", dir, "ls-tree", "-r", "--name-only", rev, path], { encoding: "utf8" }).split("\n").filter(Boolean);

function promptmap(dir: string): LabelledText[] {
  const rev = execFileSync("git", ["-C", dir, "rev-parse", `${PROMPTMAP_COMMIT}^{commit}`], { encoding: "utf8" }).trim();
  const out: LabelledText[] = [];
  for (const category of CATEGORIES) {
    for (const file of ls(dir, rev, `rules/${category}/`).filter((f) => f.endsWith(".yaml")).sort()) {
      const rule = parse(git(dir, rev, file)) as { name: string; prompt: string };
      const text = rule.prompt.replaceAll("\\n", "\n").trim();
      out.push({ text, label: 1, source: "promptmap", group: `promptmap:${rule.name}` });
    }
  }
  return out;
}

function main(): void {
  const [promptmapDir] = process.argv.slice(2);
  if (!promptmapDir) throw new Error("usage: import-round5.ts <promptmap git dir>");
  const seen = new Set<string>();
  const kept = promptmap(promptmapDir).filter((t) => {
    const key = t.text.replace(/\s+/g, " ").trim();
    if (key === "" || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const file = fileURLToPath(new URL("../data/round5-public.json", import.meta.url));
  writeFileSync(file, JSON.stringify(kept, null, 0).replaceAll('},{"text"', '},\n{"text"') + "\n");
  console.log(`wrote ${file}: promptmap ${kept.length}`);
}

main();

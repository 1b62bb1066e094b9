/**
 * Issue 10, round 30 (notes/round30-rules.md): harmless text in eleven languages that no rule
 * version and no model of ours has seen, for EVALUATION ONLY (CC BY-SA 4.0; never committed or
 * trained on): XQuAD (google-deepmind/xquad), the Wikipedia paragraphs and questions of SQuAD
 * translated by professionals into ar, de, el, es, hi, ro, ru, th, tr, vi and zh. Every paragraph
 * (one text each) and a seeded sample of 150 questions per language. Read from a local clone:
 *
 *   npx tsx wasm-models/public-data/round30-unseen.ts <xquad git dir> <out.json>
 *
 * Rows are {text, label: 0, source}.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { rng, shuffle } from "../lib/rng";

const COMMIT = "7d30520c717524000f0d9d2f9c10a069acd9d285";
const LANGUAGES = ["ar", "de", "el", "es", "hi", "ro", "ru", "th", "tr", "vi", "zh"];
const QUESTIONS_PER_LANGUAGE = 150;

interface Squad {
  data: Array<{ paragraphs: Array<{ context: string; qas: Array<{ question: string }> }> }>;
}

const [dir, out] = process.argv.slice(2);
if (!dir || !out) throw new Error("usage: round30-unseen.ts <xquad git dir> <out.json>");
const rows: Array<{ text: string; label: 0; source: string }> = [];
for (const lang of LANGUAGES) {
  const squad = JSON.parse(execFileSync("git", ["-C", dir, "show", `${COMMIT}:xquad.${lang}.json`], { encoding: "utf8", maxBuffer: 1 << 28 })) as Squad;
  const paragraphs = squad.data.flatMap((d) => d.paragraphs);
  for (const p of paragraphs) rows.push({ text: p.context, label: 0, source: "xquad_paragraphs" });
  const questions = shuffle(paragraphs.flatMap((p) => p.qas.map((q) => q.question)), rng(30));
  for (const q of questions.slice(0, QUESTIONS_PER_LANGUAGE)) rows.push({ text: q, label: 0, source: "xquad_questions" });
}
writeFileSync(out, JSON.stringify(rows));
console.log(`${rows.length} texts -> ${out}`);

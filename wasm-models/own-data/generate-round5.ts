/**
 * Issue 10, fifth round: writes data/round5-own.json from our own templates, seeded:
 *   own_ml_attack / own_ml_benign   multilingual attacks and harmless texts in the same
 *                                   languages and framings (templates-multilingual.ts; held out
 *                                   together in leave-one-source-out, lib/loso.ts)
 *   own_attack_like                 harmless English texts that sound like attacks
 *                                   (templates-attack-like.ts)
 * Run: npx tsx wasm-models/own-data/generate-round5.ts (the output is committed).
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { hashString, pick, rng } from "../lib/rng";
import type { LabelledText } from "../public-data/import-attacks";
import { ATTACK_LIKE_TEMPLATES } from "./templates-attack-like";
import { multilingualTexts } from "./templates-multilingual";
import type { Template } from "./templates-short";

const SEED = 20261207;
const OUT = fileURLToPath(new URL("../data/round5-own.json", import.meta.url));
const streamFor = (id: string) => rng(hashString(`${SEED}:${id}`));

function fill(t: Template, random: () => number): string {
  const chosen = new Map<string, string>();
  return pick(t.text, random).replace(/\{(\w+)\}/g, (_, slot: string) => {
    if (!chosen.has(slot)) chosen.set(slot, pick(t.slots![slot]!, random));
    return chosen.get(slot)!;
  });
}

function attackLike(): LabelledText[] {
  const out: LabelledText[] = [];
  for (const t of ATTACK_LIKE_TEMPLATES) {
    const random = streamFor(t.id);
    const seen = new Set<string>();
    for (let misses = 0; seen.size < (t.count ?? 6) && misses < 50; ) {
      const text = fill(t, random);
      if (seen.has(text)) misses++;
      else seen.add(text);
    }
    for (const text of seen) out.push({ text, label: 0, source: "own_attack_like", group: `own_al:${t.id}` });
  }
  return out;
}

export function generateRound5(): LabelledText[] {
  const ml = multilingualTexts(streamFor).map((m): LabelledText => ({ text: m.text, label: m.label, source: m.label === 1 ? "own_ml_attack" : "own_ml_benign", group: `own_ml:${m.lang}:${m.kind}:${m.label}` }));
  return [...ml, ...attackLike()];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rows = generateRound5();
  writeFileSync(OUT, JSON.stringify(rows, null, 0).replaceAll('},{"text"', '},\n{"text"') + "\n");
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.source, (counts.get(r.source) ?? 0) + 1);
  console.log(`wrote ${OUT}: ${[...counts].map(([s, n]) => `${s} ${n}`).join(", ")}`);
}

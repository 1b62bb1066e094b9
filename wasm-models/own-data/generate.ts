/**
 * Writes our own data, from the templates beside this file, with a fixed seed:
 *   data/hard-negatives.json  harmless texts that sound dangerous, plus ordinary requests
 *   data/own-attacks.json     templated attacks (patterns the public sets have few of)
 * Run: npx tsx wasm-models/own-data/generate.ts
 * The outputs are committed; train.ts reads the files, not the templates.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { OwnText } from "../lib/data";
import { distinct, hashString, pick, rng } from "../lib/rng";
import { LONG_GENERATORS, PARTS, type LongGenerator } from "./templates-long";
import { ATTACK_TEMPLATES } from "./templates-attacks";
import { NOISY_BENIGN, SOUP_ATTACKS } from "./templates-soup";
import { ORDINARY_TEMPLATES } from "./templates-ordinary";
import { SHORT_TEMPLATES, type Template } from "./templates-short";

const SEED = 20261121;
const HARD_NEGATIVES = fileURLToPath(new URL("../data/hard-negatives.json", import.meta.url));
const OWN_ATTACKS = fileURLToPath(new URL("../data/own-attacks.json", import.meta.url));

/** Fills a phrasing's slots; a slot named twice gets the same value both times. */
function fill(template: Template, random: () => number): string {
  const chosen = new Map<string, string>();
  return pick(template.text, random).replace(/\{(\w+)\}/g, (_, slot: string) => {
    const values = template.slots?.[slot];
    if (!values) throw new Error(`template ${template.id}: no values for {${slot}}`);
    if (!chosen.has(slot)) chosen.set(slot, pick(values, random));
    return chosen.get(slot)!;
  });
}

/** Each template draws from its own seeded stream, so editing one leaves the others' texts alone. */
const streamFor = (id: string) => rng(hashString(`${SEED}:${id}`));

function expand(templates: Template[]): OwnText[] {
  const out: OwnText[] = [];
  for (const t of templates) {
    const random = streamFor(t.id);
    if (!t.slots) {
      // A list of fixed, unrelated phrasings: each one is its own group.
      t.text.forEach((text, i) => out.push({ text, template: `${t.id}-${i}`, category: t.category, security_flavoured: t.security }));
      continue;
    }
    for (const text of distinct(t.count ?? 6, () => fill(t, random))) {
      out.push({ text, template: t.id, category: t.category, security_flavoured: t.security });
    }
  }
  return out;
}

export function generate(): { hardNegatives: OwnText[]; attacks: OwnText[] } {
  const out = [...expand([...SHORT_TEMPLATES, ...ORDINARY_TEMPLATES]), ...generated(LONG_GENERATORS), ...generated(NOISY_BENIGN)];
  return { hardNegatives: out, attacks: [...expand(ATTACK_TEMPLATES), ...generated(SOUP_ATTACKS)] };
}

function generated(generators: LongGenerator[]): OwnText[] {
  const out: OwnText[] = [];
  for (const g of generators) {
    for (let part = 0; part < PARTS; part++) {
      const random = streamFor(`${g.id}-${part}`);
      for (const text of distinct(g.count, () => g.make(random, part))) {
        out.push({ text, template: `${g.id}-${part}`, category: g.category, security_flavoured: g.security });
      }
    }
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { hardNegatives, attacks } = generate();
  for (const [file, items] of [[HARD_NEGATIVES, hardNegatives], [OWN_ATTACKS, attacks]] as const) {
    writeFileSync(file, JSON.stringify(items, null, 1) + "\n");
    console.log(`wrote ${items.length} texts from ${new Set(items.map((i) => i.template)).size} templates to ${file}`);
  }
}

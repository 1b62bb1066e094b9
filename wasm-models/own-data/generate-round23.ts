/**
 * Issue 10, round 23 (notes/round23-rules.md): writes data/round23-protection.json, our own
 * harmless "protection prompts" (templates-protection.ts), seeded: system prompts whose persona
 * and task are ordinary and which defend themselves against extraction and override requests.
 * Source `gen_protection` (harmless, its own family in leave-one-source-out); read by
 * `train.ts --protection` only.
 * Run: npx tsx wasm-models/own-data/generate-round23.ts (the output is committed).
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { distinct, hashString, pick, rng, shuffle } from "../lib/rng";
import type { LabelledText } from "../public-data/import-attacks";
import { CODES, DEFENCES_EN, FOREIGN, HEADINGS_EN, PERSONAS, SECRETS_EN, STYLE_EN, WORDS, type Persona } from "./templates-protection";

const SEED = 20261223;
const OUT = fileURLToPath(new URL("../data/round23-protection.json", import.meta.url));
const streamFor = (id: string) => rng(hashString(`${SEED}:${id}`));

const INTROS = ["You are {name}, {role}.", "Act as {name}, {role}.", "Your name is {name}. You are {role}.", "This assistant is {name}, {role}."];

const defences = (p: Persona, k: number, random: () => number) => shuffle([...DEFENCES_EN], random).slice(0, k).map((d) => d.replaceAll("{topic}", p.topic));
const intro = (p: Persona, random: () => number) => pick(INTROS, random).replace("{name}", p.name).replace("{role}", p.role);

/** Persona, task and one to three defensive clauses, the defence first or last. */
function plain(p: Persona, random: () => number): string {
  const guard = defences(p, 1 + Math.floor(random() * 3), random).join(" ");
  const style = pick(STYLE_EN, random);
  const body = [intro(p, random), ...p.tasks, style].filter((s) => s !== "").join(" ");
  return random() < 0.7 ? `${body} ${guard}` : `${intro(p, random)} ${guard}\n\n${[...p.tasks, style].filter((s) => s !== "").join(" ")}`;
}

/** The same parts under headings, the defence as a bulleted section. */
function sectioned(p: Persona, random: () => number): string {
  const h = (k: keyof typeof HEADINGS_EN) => pick(HEADINGS_EN[k], random);
  const guard = defences(p, 2 + Math.floor(random() * 2), random).map((d) => `- ${d}`).join("\n");
  return `${h("role")}\n${intro(p, random)}\n\n${h("task")}\n${p.tasks.map((t) => `- ${t}`).join("\n")}\n\n${h("rules")}\n${guard}`;
}

function secret(random: () => number): string {
  return pick(SECRETS_EN, random).replaceAll("{word}", pick(WORDS, random)).replaceAll("{code}", pick(CODES, random));
}

function foreign(random: () => number, f: (typeof FOREIGN)[number]): string {
  const guard = shuffle([...f.defences], random).slice(0, 1 + Math.floor(random() * 2)).join(" ");
  return `${pick(f.intros, random)} ${guard}`;
}

export function generateRound23(): LabelledText[] {
  const rows: LabelledText[] = [];
  const add = (group: string, texts: string[]) => texts.forEach((text) => rows.push({ text, label: 0, source: "gen_protection", group: `gen_protection:${group}` }));
  for (const p of PERSONAS) {
    const random = streamFor(`persona:${p.name}`);
    add("plain", distinct(12, () => plain(p, random)));
    add("sectioned", distinct(6, () => sectioned(p, random)));
  }
  const random = streamFor("secrets");
  add("secret", distinct(30, () => secret(random)));
  for (const f of FOREIGN) {
    const r = streamFor(`foreign:${f.code}`);
    add(`foreign-${f.code}`, distinct(12, () => foreign(r, f)));
  }
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rows = generateRound23();
  writeFileSync(OUT, JSON.stringify(rows, null, 0).replaceAll('},{"text"', '},\n{"text"') + "\n");
  const groups = new Map<string, number>();
  for (const r of rows) groups.set(r.group, (groups.get(r.group) ?? 0) + 1);
  console.log(`wrote ${OUT}: ${rows.length} texts; ${[...groups].map(([g, n]) => `${g} ${n}`).join(", ")}`);
}

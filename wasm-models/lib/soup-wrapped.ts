/**
 * Harmless prose wrapped in JSON, YAML and markdown structures (issue 10, round 13; rules in
 * notes/round13-rules.md), for the suffix head only: one generated source, `gen_wrapped`, a
 * hard-negative family. Round 12's head flagged JSON-wrapped prompts of acp_roleplay held out
 * because no other harmless source put prose inside nested structures; this family does, from
 * every harmless source's own sentences and words, with a fixed seed.
 *
 * Each text is built from ONE harmless text (its `origin`): keys are runs of its words in
 * snake_case, camelCase, kebab-case or Title Case; values its sentences, runs of its words,
 * numbers, lists and nested objects. When the suffix head is fitted without a family, texts made
 * from that family's texts are left out too (lib/soup-train.ts), so nothing of a held-out source
 * reaches its head. Only prose origins are used (no brackets, angle brackets, pipes or backticks):
 * a source that is itself JSON would only be copied.
 *
 * No attack text is read or used. Not used to fit the classifier.
 */
import type { Sample } from "./data";
import { pick, rng } from "./rng";

export const WRAPPED_SOURCE = "gen_wrapped";
const COUNT = 600;
const PARTS = 20;

export type WrappedSample = Sample & { origin: string };
export const originOf = (s: Sample): string => (s as Partial<WrappedSample>).origin ?? s.source;
export const isWrapped = (s: Sample): boolean => s.source === WRAPPED_SOURCE;

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type R = () => number;

const int = (lo: number, hi: number, r: R) => lo + Math.floor(r() * (hi - lo + 1));

/** Sentences of a text, each cut to 240 characters at a space. */
function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((x) => x.trim())
    .filter((x) => x.length > 0)
    .map((x) => (x.length <= 240 ? x : x.slice(0, x.lastIndexOf(" ", 240) > 40 ? x.lastIndexOf(" ", 240) : 240)));
}

class Parts {
  readonly words: string[];
  readonly sents: string[];
  constructor(text: string, private readonly r: R) {
    this.words = text.match(/[\p{L}\p{M}][\p{L}\p{M}'-]*/gu) ?? ["item"];
    this.sents = sentences(text);
    if (this.sents.length === 0) this.sents = [text];
  }
  run(lo: number, hi: number): string[] {
    const n = int(lo, hi, this.r);
    const a = int(0, Math.max(0, this.words.length - n), this.r);
    return this.words.slice(a, a + n);
  }
  key(): string {
    const w = this.run(1, 3).map((x) => x.toLowerCase().replace(/['-]/g, ""));
    const k = this.r();
    if (k < 0.5) return w.join("_");
    if (k < 0.7) return w.map((x, i) => (i === 0 ? x : x.charAt(0).toUpperCase() + x.slice(1))).join("");
    if (k < 0.8) return w.join("-");
    return w.map((x) => x.charAt(0).toUpperCase() + x.slice(1)).join(" ");
  }
  phrase = (): string => this.run(1, 3).join(" ");
  sentence = (): string => pick(this.sents, this.r);
  number = (): number => (this.r() < 0.6 ? int(0, 2000, this.r) : Math.round(this.r() * 10000) / 100);
}

function value(p: Parts, depth: number, maxDepth: number, r: R): Json {
  const k = r();
  if (k < 0.3) return p.sentence();
  if (k < 0.45) return p.phrase();
  if (k < 0.55) return p.number();
  if (k < 0.6) return pick([true, false, null], r);
  if (k < 0.8 || depth >= maxDepth) {
    const item: () => Json = r() < 0.7 ? p.phrase : r() < 0.7 ? p.sentence : p.number;
    return Array.from({ length: int(2, 6, r) }, item);
  }
  return object(p, depth + 1, maxDepth, r);
}

function object(p: Parts, depth: number, maxDepth: number, r: R): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  const n = int(2, 5, r);
  for (let i = 0; i < n; i++) out[p.key()] = value(p, depth, maxDepth, r);
  // At least one level of nesting below the root when the text may have it.
  if (depth === 0 && maxDepth > 1) out[p.key()] = object(p, 1, maxDepth, r);
  return out;
}

/** JSON pretty-printed, on one line, or on one line with spaces inside brackets (`[ "a", "b" ] }`). */
function asJson(o: Json, r: R): string {
  const k = r();
  if (k < 0.4) return JSON.stringify(o, null, pick([2, 4], r));
  if (k < 0.7) return JSON.stringify(o).replace(/","/g, '", "').replace(/":/g, '": ');
  return JSON.stringify(o, null, 1).replace(/\n\s*/g, " ");
}

const yamlScalar = (v: Json, r: R): string => (typeof v === "string" && (/[:#]/.test(v) || r() < 0.3) ? JSON.stringify(v) : String(v));

function asYaml(o: Json, indent: string, r: R): string {
  if (Array.isArray(o)) {
    if (o.every((x) => typeof x !== "object" || x === null) && r() < 0.3) return ` [${o.map((x) => yamlScalar(x, r)).join(", ")}]`;
    return o.map((x) => `\n${indent}- ${typeof x === "object" && x !== null ? asYaml(x, indent + "  ", r).trimStart() : yamlScalar(x, r)}`).join("");
  }
  if (typeof o === "object" && o !== null) return Object.entries(o).map(([k, v]) => `\n${indent}${k}:${typeof v === "object" && v !== null ? asYaml(v, indent + "  ", r) : ` ${yamlScalar(v, r)}`}`).join("");
  return ` ${yamlScalar(o, r)}`;
}

function asMarkdown(o: { [key: string]: Json }, level: number, r: R): string {
  const out: string[] = [];
  for (const [k, v] of Object.entries(o)) {
    const title = k.replace(/[_-]/g, " ");
    if (Array.isArray(v)) {
      if (r() < 0.25 && v.length >= 2) out.push(`| ${title} | # |\n|---|---|\n${v.map((x, i) => `| ${String(x)} | ${i + 1} |`).join("\n")}`);
      else out.push(`${"#".repeat(Math.min(6, level))} ${title}\n${v.map((x, i) => (r() < 0.7 ? `- ${String(x)}` : `${i + 1}. ${String(x)}`)).join("\n")}`);
    } else if (typeof v === "object" && v !== null) {
      if (r() < 0.25) out.push(`${"#".repeat(Math.min(6, level))} ${title}\n\`\`\`json\n${JSON.stringify(v, null, 2)}\n\`\`\``);
      else out.push(`${"#".repeat(Math.min(6, level))} ${title}\n${asMarkdown(v, level + 1, r)}`);
    } else out.push(r() < 0.5 ? `**${title}:** ${String(v)}` : `*${title}*: ${String(v)}`);
  }
  return out.join("\n\n");
}

function wrap(text: string, r: R): string {
  const p = new Parts(text, r);
  const root = object(p, 0, int(1, 4, r), r);
  const k = r();
  const body = k < 0.5 ? asJson(root, r) : k < 0.75 ? asYaml(root, "", r).trimStart() : asMarkdown(root, 1, r);
  // Raw, or after a request taken from the same text (as a prompt that carries a spec).
  return r() < 0.5 ? body : `${p.sentence()}${body.includes("\n") || r() < 0.5 ? "\n\n" : " "}${body}`;
}

/**
 * A generated harmless family (gen_wrapped, gen_math): COUNT texts, each `make` of one harmless
 * prose text without a character of `exclude`; every harmless source is picked equally often,
 * and each text keeps its origin so that a head made without a source also leaves these out.
 */
export function fromHarmlessProse(benign: Sample[], random: () => number, exclude: RegExp, source: string, make: (text: string, random: () => number) => string): WrappedSample[] {
  const prose = benign.filter((s) => s.label === 0 && s.trainable !== false && s.text.length >= 40 && !exclude.test(s.text));
  const bySource = new Map<string, Sample[]>();
  for (const s of prose) bySource.set(s.source, [...(bySource.get(s.source) ?? []), s]);
  const sources = [...bySource.keys()].sort();
  const out: WrappedSample[] = [];
  for (let i = 0; i < COUNT; i++) {
    const origin = pick(bySource.get(pick(sources, random))!, random);
    out.push({ text: make(origin.text, random), label: 0, source, group: `${source}:${i % PARTS}`, origin: origin.source });
  }
  return out;
}

/** `gen_wrapped`: harmless prose wrapped in JSON, YAML or markdown. */
export function wrappedNegatives(benign: Sample[], seed: number): WrappedSample[] {
  return fromHarmlessProse(benign, rng(seed ^ 0x13131313), /[{}[\]<>|`]/, WRAPPED_SOURCE, wrap);
}

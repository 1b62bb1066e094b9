/**
 * Harmless math markup (issue 10, round 14; rules in notes/round14-rules.md), for the suffix head
 * only: one generated source, `gen_math`, a hard-negative family like round 13's gen_wrapped.
 * Round 13's head flagged own_noisy's LaTeX questions held out because no other harmless source
 * had math markup once the JSON tail was gone; this family has it: LaTeX (inline, display,
 * environments), plain-text equations, units, chemical formulas, Unicode math and spreadsheet
 * formulas, from fixed templates written for this round and the numbers, words and sentences of
 * ONE harmless prose text per generated text (its `origin`), with a fixed seed.
 *
 * Held out by origin as gen_wrapped is (lib/soup-train.ts): when the head is made without a
 * family, the gen_math texts made from it are left out too. Origins are prose without brackets,
 * dollar signs or backslashes, so no source's own math markup (own_noisy's LaTeX) is copied.
 *
 * No attack text is read or used. Not used to fit the classifier.
 */
import type { Sample } from "./data";
import { pick, rng } from "./rng";
import { fromHarmlessProse, type WrappedSample } from "./soup-wrapped";

export const MATH_SOURCE = "gen_math";

type R = () => number;
const int = (lo: number, hi: number, r: R) => lo + Math.floor(r() * (hi - lo + 1));

const LETTERS = "abcdfghkmnpqrstuvwxyz";
const GREEK = ["\\alpha", "\\beta", "\\gamma", "\\delta", "\\theta", "\\lambda", "\\mu", "\\sigma", "\\omega", "\\phi", "\\pi", "\\rho", "\\tau", "\\epsilon"];
const FUNCS = ["\\sin", "\\cos", "\\tan", "\\log", "\\ln", "\\exp"];
const RELATIONS = ["=", "=", "=", "\\leq", "\\geq", "<", ">", "\\approx", "\\neq"];
const UNITS = ["m/s", "m/s^2", "km/h", "kg", "g/mol", "mol/L", "N", "J", "kWh", "W", "Hz", "Pa", "kPa", "°C", "K", "cm^3", "mL", "mm", "V", "mA", "Ω", "N·m", "kg·m/s²", "m²", "ft", "lb", "mph", "%"];
const ELEMENTS = ["H", "C", "N", "O", "Na", "Cl", "K", "Ca", "Mg", "Fe", "S", "P", "Cu", "Zn", "Al", "Si"];
const UNICODE = ["√", "π", "×", "÷", "±", "≤", "≥", "≠", "≈", "∞", "∑", "∫", "Δ", "θ", "²", "³", "½", "°", "→", "∈"];
const ASKS = [
  "Solve for x:",
  "Simplify",
  "Can you check my working?",
  "Write this in LaTeX:",
  "Typeset the following:",
  "What is the derivative of",
  "Evaluate",
  "Is this identity right?",
  "Convert the units:",
  "Balance this equation:",
  "Explain each step of",
  "My notes say",
  "Render as a formula:",
  "Prove that",
];

/** The numbers and words one harmless text lends to its generated text. */
class Parts {
  readonly words: string[];
  readonly numbers: string[];
  readonly sents: string[];
  constructor(text: string, private readonly r: R) {
    this.words = (text.match(/\p{L}{3,}/gu) ?? ["value"]).map((w) => w.toLowerCase());
    this.numbers = text.match(/\d+(?:\.\d+)?/g) ?? [];
    this.sents = text.split(/(?<=[.!?])\s+|\n+/).map((x) => x.trim()).filter((x) => x.length > 0 && x.length <= 240);
    if (this.sents.length === 0) this.sents = [text.slice(0, 200)];
  }
  num = (): string => (this.numbers.length > 0 && this.r() < 0.6 ? pick(this.numbers, this.r) : String(this.r() < 0.7 ? int(1, 12, this.r) : int(2, 500, this.r)));
  word = (): string => pick(this.words, this.r);
  sentence = (): string => pick(this.sents, this.r);
  variable = (): string => (this.r() < 0.75 ? pick([...LETTERS], this.r) : pick(GREEK, this.r));
}

/** A random LaTeX expression of bounded depth. */
function tex(p: Parts, depth: number, r: R): string {
  const atom = () => (r() < 0.5 ? p.variable() : p.num());
  if (depth <= 0) return atom();
  const sub = () => tex(p, depth - 1, r);
  const k = r();
  if (k < 0.12) return `${sub()} + ${sub()}`;
  if (k < 0.2) return `${sub()} - ${sub()}`;
  if (k < 0.27) return `${sub()} ${pick(["\\cdot", "\\times", ""], r)} ${sub()}`.replace(/ {2}/, " ");
  if (k < 0.39) return `\\frac{${sub()}}{${sub()}}`;
  if (k < 0.49) return `${p.variable()}^{${sub()}}`;
  if (k < 0.55) return `${p.variable()}_{${pick([p.variable(), p.num(), "i", "n", "0", "i+1"], r)}}`;
  if (k < 0.61) return `\\sqrt{${sub()}}`;
  if (k < 0.67) return `${pick(FUNCS, r)}(${sub()})`;
  if (k < 0.72) return `\\left( ${sub()} \\right)${r() < 0.5 ? `^{${int(2, 4, r)}}` : ""}`;
  if (k < 0.76) return `\\sum_{i=1}^{${pick(["n", "N", p.num()], r)}} ${sub()}`;
  if (k < 0.8) return `\\int_{${p.num()}}^{${pick(["\\infty", p.num(), "x"], r)}} ${sub()} \\, d${pick(["x", "t", "u"], r)}`;
  if (k < 0.83) return `\\lim_{${pick(["x", "n", "h"], r)} \\to ${pick(["0", "\\infty", p.num()], r)}} ${sub()}`;
  if (k < 0.86) return `\\mathbf{${p.variable()}} \\cdot \\vec{${p.variable()}}`;
  if (k < 0.89) return `\\begin{pmatrix} ${atom()} & ${atom()} \\\\ ${atom()} & ${atom()} \\end{pmatrix}`;
  if (k < 0.92) return `\\{ ${p.variable()} \\in \\mathbb{${pick(["R", "N", "Z", "Q"], r)}} \\mid ${p.variable()} ${pick(RELATIONS, r)} ${p.num()} \\}`;
  if (k < 0.95) return `${sub()} \\pm ${sub()}`;
  if (k < 0.98) return `\\text{${p.word()}} = ${sub()}`;
  return `|${sub()}|`;
}

const equation = (p: Parts, r: R): string => `${tex(p, int(1, 3, r), r)} ${pick(RELATIONS, r)} ${tex(p, int(0, 2, r), r)}`;

/** A plain-text formula (ASCII operators, as typed in a chat). */
function plain(p: Parts, r: R): string {
  const v = p.variable().replace("\\", "");
  const k = r();
  if (k < 0.25) return `${p.num()}${v} + ${p.num()} = ${p.num()}`;
  if (k < 0.45) return `${v} = ${p.num()}${v}^2 - ${p.num()}${v} + ${p.num()}`;
  if (k < 0.6) return `f(${v}) = (${v} + ${p.num()})/(${v} - ${p.num()})`;
  if (k < 0.75) return `${p.num()}/${p.num()} * ${p.num()} = ?`;
  if (k < 0.88) return `sqrt(${v}^2 + ${p.variable().replace("\\", "")}^2)`;
  return `(${p.num()} - ${p.num()}) / ${p.num()} * 100%`;
}

const quantity = (p: Parts, r: R): string => `${p.num()}${r() < 0.7 ? " " : ""}${pick(UNITS, r)}`;

/** A chemical formula or reaction: plain (H2O), subscripted (H_2O) or mhchem (\ce{...}). */
function chemistry(p: Parts, r: R): string {
  const compound = () =>
    Array.from({ length: int(1, 3, r) }, () => {
      const n = int(1, 6, r);
      return `${pick(ELEMENTS, r)}${n > 1 ? String(n) : ""}`;
    }).join("");
  const coeff = () => (r() < 0.5 ? String(int(2, 6, r)) : "");
  const side = () => Array.from({ length: int(1, 2, r) }, () => `${coeff()}${compound()}`).join(" + ");
  const reaction = `${side()} ${pick(["->", "→", "<=>", "⇌"], r)} ${side()}`;
  const k = r();
  if (k < 0.4) return reaction;
  if (k < 0.6) return `$\\ce{${reaction.replace("→", "->").replace("⇌", "<=>")}}$`;
  if (k < 0.8) return compound().replace(/(\d+)/g, "_$1");
  return `${compound()} (${p.num()} ${pick(["g/mol", "mol", "g", "mL"], r)})`;
}

/** Unicode math as pasted from a document. */
function unicode(p: Parts, r: R): string {
  return Array.from({ length: int(3, 7, r) }, () => (r() < 0.4 ? pick(UNICODE, r) : r() < 0.5 ? p.num() : p.variable().replace("\\", ""))).join(r() < 0.5 ? " " : "");
}

/** A spreadsheet formula. */
function sheet(p: Parts, r: R): string {
  const cell = () => `${pick([..."ABCDEFGH"], r)}${int(1, 40, r)}`;
  return `=${pick(["SUM", "AVERAGE", "ROUND", "MAX", "SQRT", "IF"], r)}(${cell()}:${cell()})${r() < 0.5 ? `/${p.num()}` : ` * ${cell()}`}`;
}

/** One formula in one of the dresses math takes in a request. */
function formula(p: Parts, r: R): string {
  const k = r();
  if (k < 0.22) return `$${equation(p, r)}$`;
  if (k < 0.37) return `$$ ${equation(p, r)} $$`;
  if (k < 0.44) return `\\[ ${equation(p, r)} \\]`;
  if (k < 0.5) {
    const env = pick(["equation", "align*", "equation*"], r);
    const more = env === "align*" ? ` \\\\\n  &${pick(RELATIONS, r)} ${tex(p, 1, r)}` : "";
    return `\\begin{${env}}\n  ${equation(p, r)}${more}\n\\end{${env}}`;
  }
  if (k < 0.62) return plain(p, r);
  if (k < 0.72) return quantity(p, r) + (r() < 0.5 ? ` = ${quantity(p, r)}` : "");
  if (k < 0.83) return chemistry(p, r);
  if (k < 0.92) return unicode(p, r);
  return sheet(p, r);
}

function compose(text: string, r: R): string {
  const p = new Parts(text, r);
  const n = int(1, 4, r);
  const items = Array.from({ length: n }, () => formula(p, r));
  const k = r();
  let body: string;
  if (k < 0.35) body = items.join(r() < 0.5 ? " and " : "\n");
  else if (k < 0.6) body = items.map((f, i) => `${r() < 0.5 ? `- ` : `${i + 1}. `}${r() < 0.3 ? `**${p.word()}:** ` : ""}${f}`).join("\n");
  else if (k < 0.8) body = items.map((f) => `${p.word()} ${pick(["is", "gives", "becomes", "equals"], r)} ${f}`).join(", ");
  else body = `${p.sentence()} ${items.join(" ")}`;
  const lead = r();
  if (lead < 0.4) return `${pick(ASKS, r)} ${body}`;
  if (lead < 0.7) return `${p.sentence()}\n\n${body}`;
  return body;
}

/** `gen_math`: harmless prose turned into math markup (LaTeX, equations, units, formulas). */
export function mathNegatives(benign: Sample[], seed: number): WrappedSample[] {
  return fromHarmlessProse(benign, rng(seed ^ 0x14141414), /[{}[\]<>|`$\\]/, MATH_SOURCE, compose);
}

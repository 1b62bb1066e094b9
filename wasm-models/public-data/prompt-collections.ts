/**
 * Shared by the builders of harmless system-prompt sets (import-round10.ts, round35–38-unseen.ts):
 * how a custom GPT's page is read, which GPTs are not harmless, and which texts an earlier set
 * already holds.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** GPTs presented as a jailbreak or an unrestricted persona are not harmless system prompts. */
export const PERSONA_JAILBREAK = /\b(dan|jailbr\w*|unfiltered|uncensored|unrestricted|no (restrictions|limits|rules|filters)|developer mode|evil|amoral|unethical|immoral)\b/i;

/** The "GPT instructions" block of a custom GPT's page, without its code fence. */
export function gptInstructions(md: string): { title: string; text: string } | null {
  const title = /^GPT Title:\s*(.*)$/im.exec(md)?.[1] ?? "";
  const at = /^GPT instructions:\s*$/im.exec(md);
  if (!at) return null;
  let body = md.slice(at.index + at[0].length);
  const next = /^GPT (Kb|Knowledge|Files|Actions|Logo|URL)\b.*:/im.exec(body);
  if (next) body = body.slice(0, next.index);
  body = body.trim().replace(/^```[a-z]*\n/, "").replace(/\n```\s*$/, "").trim();
  return { title, text: body };
}

/** Two texts are the same prompt when their first 300 letters and digits are. */
export const textKey = (t: string): string => t.toLowerCase().replace(/[^a-z0-9]/g, "").slice(0, 300);

/** The keys of round 10's committed set and of earlier builders' outputs in .tmp/ (which must exist). */
export function heldKeys(earlier: string[]): Set<string> {
  const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
  const held = new Set<string>();
  for (const r of JSON.parse(readFileSync(here("../data/round10-public.json"), "utf8")) as Array<{ text: string }>) held.add(textKey(r.text));
  for (const f of earlier) {
    const file = here(`../../.tmp/${f}`);
    if (!existsSync(file)) throw new Error(`build .tmp/${f} first`);
    for (const r of JSON.parse(readFileSync(file, "utf8")) as Array<{ text: string }>) held.add(textKey(r.text));
  }
  return held;
}

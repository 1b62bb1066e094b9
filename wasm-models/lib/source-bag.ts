/**
 * Issue 10, round 17, candidate (A) (notes/round17-rules.md): a source-bagged average. The fit
 * nearly separates its training sources and puts weight on each source's fingerprint n-grams.
 * K fits, each without a different share of the training families (attack and harmless), are
 * averaged into one logistic model (lib/model-average.ts): weight that only one family's texts
 * support is diluted by the fits that did not see that family; n-grams shared across families
 * keep theirs.
 *
 * Round 19 (notes/round19-rules.md), `--bag-disjoint k`: the strong version. The same assignment
 * read the other way: fit b is trained ONLY on the families of bag b, so each family's texts are
 * fitted by exactly one of the k fits, and a fingerprint weight is averaged with k−1 fits that
 * never saw its source.
 */
import type { Featurized } from "./examples";
import type { LogReg } from "./logreg";
import { averageModels } from "./model-average";
import { hashString } from "./rng";

/**
 * Family → the one bag (0..k-1) it is left out of. Attack-only, harmless-only and mixed families
 * in turn, each list in a seeded hash order, one counter over all: every bag drops about 1/k of
 * the attack families and 1/k of the harmless ones.
 */
export function bagAssignment(families: ReadonlyArray<{ family: string; labels: ReadonlySet<0 | 1> }>, k: number, seed: number): Map<string, number> {
  const kind = (l: ReadonlySet<0 | 1>) => (l.size === 2 ? 2 : l.has(1) ? 0 : 1);
  const key = (f: string) => hashString(`${seed}:${f}`);
  const ordered = [...families].sort((a, b) => kind(a.labels) - kind(b.labels) || key(a.family) - key(b.family) || (a.family < b.family ? -1 : a.family > b.family ? 1 : 0));
  return new Map(ordered.map((f, i) => [f.family, i % k]));
}

/** The families of `items` (by `familyOf`) with the labels their texts carry. */
export function familiesOf(items: readonly Featurized[], familyOf: (source: string) => string): Array<{ family: string; labels: Set<0 | 1> }> {
  const labels = new Map<string, Set<0 | 1>>();
  for (const { sample } of items) {
    const f = familyOf(sample.source);
    if (!labels.has(f)) labels.set(f, new Set());
    labels.get(f)!.add(sample.label);
  }
  return [...labels].map(([family, l]) => ({ family, labels: l }));
}

/** K fits, fit b without the families assigned to bag b, averaged into one model. */
export function fitBagged(items: Featurized[], bags: ReadonlyMap<string, number>, k: number, familyOf: (source: string) => string, fitOne: (items: Featurized[]) => LogReg, log?: (line: string) => void): LogReg {
  const models: LogReg[] = [];
  for (let b = 0; b < k; b++) {
    const bag = items.filter(({ sample }) => bags.get(familyOf(sample.source)) !== b);
    log?.(`bag ${b + 1}/${k}: ${bag.length} of ${items.length} texts`);
    models.push(fitOne(bag));
  }
  return averageModels(models);
}

type Labelled = { sample: { source: string; label: 0 | 1 } };

/**
 * The k disjoint bags of `items`: bag b holds the texts of the families assigned to b. A family
 * not in the assignment is an error (the assignment covers every family of the run), and so is a
 * bag without both labels: a one-class fit would be silently meaningless.
 */
export function disjointBags<T extends Labelled>(items: readonly T[], bags: ReadonlyMap<string, number>, k: number, familyOf: (source: string) => string): T[][] {
  const out: T[][] = Array.from({ length: k }, () => []);
  for (const item of items) {
    const b = bags.get(familyOf(item.sample.source));
    if (b === undefined || b < 0 || b >= k) throw new Error(`disjointBags: family ${familyOf(item.sample.source)} has no bag below ${k}`);
    out[b]!.push(item);
  }
  out.forEach((bag, b) => {
    if (!bag.some((i) => i.sample.label === 1) || !bag.some((i) => i.sample.label === 0)) throw new Error(`disjointBags: bag ${b + 1} lacks attack or harmless texts`);
  });
  return out;
}

/** K fits, fit b on the families of bag b only, averaged into one model. */
export function fitDisjoint(items: Featurized[], bags: ReadonlyMap<string, number>, k: number, familyOf: (source: string) => string, fitOne: (items: Featurized[]) => LogReg, log?: (line: string) => void): LogReg {
  const models = disjointBags(items, bags, k, familyOf).map((bag, b) => {
    const attacks = bag.filter(({ sample }) => sample.label === 1).length;
    log?.(`disjoint bag ${b + 1}/${k}: ${bag.length} of ${items.length} texts (${attacks} attack, ${bag.length - attacks} harmless), families ${[...new Set(bag.map(({ sample }) => familyOf(sample.source)))].join(", ")}`);
    return fitOne(bag);
  });
  return averageModels(models);
}

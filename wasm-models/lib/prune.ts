/**
 * Cross-source feature pruning (issue 10, sixth round; notes/round6-rules.md): a hashed bucket
 * seen in the windows of one training family only is that family's fingerprint, and a weight on
 * it cannot carry over to a source the model has never seen. With a minimum of k families, a
 * fit may only put weight on buckets that k or more of ITS training families share; the rest
 * stay exactly 0. Counted on the fit's own training part, so a held-out source never decides.
 */
import type { Featurized } from "./examples";
import type { Example } from "./logreg";

/** Buckets (of `dim`) that occur in the fitted windows of at least `minFamilies` families. */
export function sharedBuckets(items: Featurized[], dim: number, minFamilies: number, familyOf: (source: string) => string): Uint8Array {
  const byFamily = new Map<string, Featurized[]>();
  for (const item of items) {
    if (item.sample.trainable === false) continue;
    const family = familyOf(item.sample.source);
    if (!byFamily.has(family)) byFamily.set(family, []);
    byFamily.get(family)!.push(item);
  }
  const count = new Int32Array(dim);
  const last = new Int32Array(dim).fill(-1);
  // Family by family, so `last` counts each family once per bucket.
  [...byFamily.values()].forEach((group, id) => {
    for (const { windows } of group) {
      for (const w of windows) {
        for (let j = 0; j < w.indices.length; j++) {
          const k = w.indices[j]!;
          if (last[k] === id) continue;
          last[k] = id;
          count[k]!++;
        }
      }
    }
  });
  const keep = new Uint8Array(dim);
  for (let k = 0; k < dim; k++) keep[k] = count[k]! >= minFamilies ? 1 : 0;
  return keep;
}

/** The examples with every bucket outside `keep` removed: the same as fixing its weight at 0. */
export function pruneExamples(examples: Example[], keep: Uint8Array): Example[] {
  return examples.map((e) => {
    const idx: number[] = [];
    for (let j = 0; j < e.x.indices.length; j++) if (keep[e.x.indices[j]!]) idx.push(j);
    if (idx.length === e.x.indices.length) return e;
    return { ...e, x: { ...e.x, indices: Int32Array.from(idx, (j) => e.x.indices[j]!), values: Float32Array.from(idx, (j) => e.x.values[j]!) } };
  });
}

/**
 * Cross-source feature pruning (issue 10, sixth round; notes/round6-rules.md): a hashed bucket
 * seen in the windows of one training family only is that family's fingerprint, and a weight on
 * it cannot carry over to a source the model has never seen. With a minimum of k families, a
 * fit may only put weight on buckets that k or more of ITS training families share; the rest
 * stay exactly 0. Counted on the fit's own training part, so a held-out source never decides.
 */
import type { Featurized } from "./examples";
import type { Example } from "./logreg";

export interface PruneOptions {
  /** A bucket keeps its weight only if at least this many families support it. */
  minFamilies: number;
  /**
   * A family supports a bucket if the bucket occurs in at least this share of its texts (and in
   * at least 2 of them when the share is above 0): the hashed space is saturated, so without it a
   * single stray n-gram colliding into a bucket would make every bucket "shared".
   */
  minShare: number;
}

/** Buckets (of `dim`) supported by at least `minFamilies` families of the fit's training items. */
export function sharedBuckets(items: Featurized[], dim: number, options: PruneOptions, familyOf: (source: string) => string): Uint8Array {
  const byFamily = new Map<string, Featurized[]>();
  for (const item of items) {
    if (item.sample.trainable === false) continue;
    const family = familyOf(item.sample.source);
    if (!byFamily.has(family)) byFamily.set(family, []);
    byFamily.get(family)!.push(item);
  }
  const support = new Int32Array(dim);
  const texts = new Int32Array(dim);
  const last = new Int32Array(dim).fill(-1);
  let textId = 0;
  for (const group of byFamily.values()) {
    texts.fill(0);
    for (const { windows } of group) {
      // Texts containing the bucket, each counted once.
      for (const w of windows) {
        for (let j = 0; j < w.indices.length; j++) {
          const k = w.indices[j]!;
          if (last[k] === textId) continue;
          last[k] = textId;
          texts[k]!++;
        }
      }
      textId++;
    }
    const need = options.minShare > 0 ? Math.max(2, options.minShare * group.length) : 1;
    for (let k = 0; k < dim; k++) if (texts[k]! >= need) support[k]!++;
  }
  const keep = new Uint8Array(dim);
  for (let k = 0; k < dim; k++) keep[k] = support[k]! >= options.minFamilies ? 1 : 0;
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

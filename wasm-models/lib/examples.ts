/**
 * Turns featurized samples into weighted training windows. Every text counts once, whatever its
 * length (its weight is shared by its windows); attacks and benign texts carry equal total
 * weight; inside each class, sources are balanced (`sourcePower` 1 = every source equal,
 * 0 = every text equal), so 1,500 school maths questions do not outvote the hard negatives.
 * Samples marked not trainable are left out.
 */
import type { SparseVector } from "../../worker/screen/featurize";
import type { Sample } from "./data";
import type { Example } from "./logreg";

export interface Featurized {
  sample: Sample;
  /** Sliding windows: what the model is fitted on. */
  windows: SparseVector[];
  /** Every window the Worker scores (sliding and line windows): what evaluation scores. */
  scored: SparseVector[];
}

export function toExamples(all: Featurized[], sourcePower: number): Example[] {
  const items = all.filter(({ sample }) => sample.trainable !== false);
  const perSource = new Map<string, number>();
  for (const { sample } of items) perSource.set(sample.source, (perSource.get(sample.source) ?? 0) + 1);
  const raw = items.map(({ sample }) => Math.pow(perSource.get(sample.source)!, -sourcePower));
  const classTotal = [0, 0];
  items.forEach(({ sample }, i) => (classTotal[sample.label]! += raw[i]!));
  const out: Example[] = [];
  items.forEach(({ sample, windows }, i) => {
    const weight = raw[i]! / classTotal[sample.label]! / windows.length;
    for (const x of windows) out.push({ x, y: sample.label, weight });
  });
  return out;
}

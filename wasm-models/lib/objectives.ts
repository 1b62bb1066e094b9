/**
 * Issue 10, round 11 (notes/round11-rules.md): training objectives aimed at the worst source
 * rather than the average, chosen by `train.ts --objective`. Both keep the shipped model's form
 * (one weight per hashed bucket and a bias), so the ONNX graph and the Worker's cost are
 * unchanged; only how the weights are fitted differs. `ce` (the shipped weighted cross-entropy)
 * is fitted by lib/adagrad.ts and never comes here.
 */
import type { Featurized } from "./examples";
import { toExamples } from "./examples";
import type { Example, LogReg } from "./logreg";
import { fitGroupDro } from "./group-dro";
import { fitTopPush } from "./top-push";

export const OBJECTIVES = ["ce", "dro", "push"] as const;
export type Objective = (typeof OBJECTIVES)[number];

/** The training windows with the shipped weights, and the source (group) of each. */
export interface GroupedExamples {
  examples: Example[];
  /** Index into `names` of every example's source. */
  group: Int32Array;
  names: string[];
}

/** toExamples' windows in toExamples' order, each with its source's index. */
export function groupedExamples(items: Featurized[], sourcePower: number): GroupedExamples {
  const examples = toExamples(items, sourcePower);
  const kept = items.filter(({ sample }) => sample.trainable !== false);
  const names = [...new Set(kept.map(({ sample }) => sample.source))].sort();
  const index = new Map(names.map((n, i) => [n, i]));
  const group = new Int32Array(examples.length);
  let k = 0;
  for (const { sample, windows } of kept) for (let j = 0; j < windows.length; j++) group[k++] = index.get(sample.source)!;
  if (k !== examples.length) throw new Error("grouped examples out of step with toExamples");
  return { examples, group, names };
}

export interface ObjectiveOptions {
  dim: number;
  l2: number;
  epochs: number;
  seed: number;
  log?: (line: string) => void;
}

export function fitObjective(objective: Exclude<Objective, "ce">, items: Featurized[], sourcePower: number, options: ObjectiveOptions): LogReg {
  const data = groupedExamples(items, sourcePower);
  return objective === "dro" ? fitGroupDro(data, options) : fitTopPush(data, options);
}

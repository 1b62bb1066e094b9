/**
 * Grouped k-fold cross-validation on the training split, for choosing settings without
 * touching the validation split. Folds follow the near-duplicate clusters, like the split.
 */
import { DIM } from "../../worker/screen/featurize";
import { report, type DetectorReport } from "./evaluate";
import { toExamples, type Featurized } from "./examples";
import { fit, logit, sigmoid } from "./logreg";
import { hashString } from "./rng";

export interface Settings {
  l2: number;
  sourcePower: number;
  iterations: number;
}

export function crossValidate(items: Featurized[], clusterKeys: string[], settings: Settings, folds = 4): DetectorReport {
  const fold = clusterKeys.map((key) => hashString(`fold:${key}`) % folds);
  const scores = new Array<number>(items.length).fill(0);
  for (let k = 0; k < folds; k++) {
    const train = items.filter((_, i) => fold[i] !== k);
    const model = fit(toExamples(train, settings.sourcePower), { dim: DIM, l2: settings.l2, iterations: settings.iterations });
    items.forEach((item, i) => {
      if (fold[i] === k) scores[i] = item.scored.reduce((max, x) => Math.max(max, sigmoid(logit(model, x))), 0);
    });
  }
  return report(
    items.map((i) => i.sample),
    scores,
  );
}

/**
 * Issue 10, round 17 (notes/round17-rules.md): the mean of several logistic models on the same
 * features. A linear model's logit is linear in its parameters, so the mean of K models' logits
 * is the logit of the model whose weights and bias are the means: one model, the same ONNX graph
 * and the same cost at inference as any single fit.
 */
export interface LinearModel {
  weights: Float64Array;
  bias: number;
}

export function averageModels(models: readonly LinearModel[]): LinearModel {
  if (models.length === 0) throw new Error("averageModels: no models");
  const dim = models[0]!.weights.length;
  if (models.some((m) => m.weights.length !== dim)) throw new Error("averageModels: models of different dimensions");
  const weights = new Float64Array(dim);
  let bias = 0;
  // Summed in the models' order, then divided once: the same models give the same bits.
  for (const m of models) {
    for (let i = 0; i < dim; i++) weights[i]! += m.weights[i]!;
    bias += m.bias;
  }
  for (let i = 0; i < dim; i++) weights[i]! /= models.length;
  return { weights, bias: bias / models.length };
}

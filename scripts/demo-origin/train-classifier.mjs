#!/usr/bin/env node
/**
 * Trains the demo origin's "digits" classifier and writes scripts/demo-origin/digits-model.json.
 *
 *   node scripts/demo-origin/train-classifier.mjs [--out FILE]
 *
 * Deterministic: the same seeds give the same weights on any machine with IEEE doubles.
 * Training and held-out sets come from the generator with different seeds, so no held-out
 * image was seen in training. The held-out accuracy is measured with the rounded weights that
 * are written, i.e. the weights the server uses.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { generateDigits, FEATURES, CLASSES, MAX_INTENSITY } from "./digits.mjs";
import { trainClassifier, accuracy, roundModel } from "./classifier.mjs";

export const TRAINING = { train: { n: 8000, seed: 1 }, heldout: { n: 2000, seed: 2 }, hidden: [32], epochs: 30, batchSize: 32, learningRate: 0.003, l2: 1e-4, seed: 7 };

export function trainDigits(config = TRAINING) {
  const train = generateDigits(config.train);
  const heldout = generateDigits(config.heldout);
  const options = { hidden: config.hidden, epochs: config.epochs, batchSize: config.batchSize, learningRate: config.learningRate, l2: config.l2, seed: config.seed, inputScale: 1 / MAX_INTENSITY, classes: CLASSES };
  const model = roundModel(trainClassifier(train.X, train.y, options));
  const baseline = roundModel(trainClassifier(train.X, train.y, { ...options, hidden: [] }));
  return {
    ...model,
    name: "digits",
    inputs: { name: "input-0", datatype: "FP32", shape: [-1, FEATURES], min: 0, max: MAX_INTENSITY },
    outputs: { name: "probabilities", datatype: "FP32", shape: [-1, CLASSES] },
    training: {
      ...config,
      generator: "scripts/demo-origin/digits.mjs generateDigits",
      train_accuracy: accuracy(model, train.X, train.y),
      heldout_accuracy: accuracy(model, heldout.X, heldout.y),
      softmax_regression_heldout_accuracy: accuracy(baseline, heldout.X, heldout.y),
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outIndex = process.argv.indexOf("--out");
  const out = outIndex > 0 ? process.argv[outIndex + 1] : fileURLToPath(new URL("./digits-model.json", import.meta.url));
  const started = performance.now();
  const model = trainDigits();
  writeFileSync(out, JSON.stringify(model) + "\n");
  const { train_accuracy, heldout_accuracy, softmax_regression_heldout_accuracy } = model.training;
  console.log(`wrote ${out} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  console.log(`MLP 64-32-10: train ${train_accuracy.toFixed(4)}, held-out ${heldout_accuracy.toFixed(4)}; softmax regression held-out ${softmax_regression_heldout_accuracy.toFixed(4)}`);
}

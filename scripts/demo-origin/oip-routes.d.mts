import type { MlpModel } from "./classifier.mjs";
export interface DigitsModel extends MlpModel {
  name: string;
  inputs: { name: string; datatype: string; shape: number[]; min: number; max: number };
  outputs: { name: string; datatype: string; shape: number[] };
  training: Record<string, unknown> & { heldout_accuracy: number; train_accuracy: number; softmax_regression_heldout_accuracy: number };
}
export function digitsModel(): DigitsModel;

export const MODEL_FORMAT: "warden-demo-mlp/1";
export interface MlpModel {
  format: string;
  input_scale: number;
  layers: { weights: number[][]; bias: number[] }[];
}
export interface TrainOptions {
  hidden?: number[];
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  l2?: number;
  seed?: number;
  inputScale?: number;
  classes?: number;
}
export function predictProba(model: MlpModel, input: number[]): number[];
export function predict(model: MlpModel, input: number[]): number;
export function softmax(z: number[]): number[];
export function argmax(values: ArrayLike<number>): number;
export function accuracy(model: MlpModel, X: number[][], y: number[]): number;
export function agreement(a: MlpModel, b: MlpModel, X: number[][]): number;
export function roundModel<M extends MlpModel>(model: M, digits?: number): M;
/** `targets`: class indices or probability vectors (soft labels, e.g. a victim's answers). */
export function trainClassifier(X: number[][], targets: (number | number[])[], options?: TrainOptions): MlpModel;

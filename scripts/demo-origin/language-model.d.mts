export const BOS: "<s>";
export const EOS: "</s>";
export const UNK: "<unk>";
export const END_OF_TEXT: "<|endoftext|>";
export function tokenize(text: string): string[];
export function countTokens(text: string): number;
export function detokenize(tokens: string[]): string;

export interface GeneratedToken {
  /** The text piece, with its leading space. */
  token: string;
  logprob: number;
  top_logprobs: { token: string; logprob: number }[];
}
export interface GenerateOptions {
  promptTokens?: string[];
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  seed?: number;
  stop?: string[];
  topLogprobs?: number;
  leadingSpace?: boolean;
  /** token id → additive bias on the log-probability */
  logitBias?: Map<number, number>;
}
export interface LanguageModel {
  vocab: string[];
  vocabSize: number;
  trainingTokens: number;
  distribution(u: number, v: number, logitBias?: Map<number, number>): Float64Array;
  contextOf(promptTokens: string[]): [number, number];
  generate(options: GenerateOptions): { text: string; tokens: GeneratedToken[]; finishReason: "stop" | "length" };
  idOf(token: string): number;
}
export function createLanguageModel(corpusText: string): LanguageModel;
export function demoLanguageModel(): LanguageModel;

export interface Rng {
  uniform(): number;
  int(lo: number, hi: number): number;
  gaussian(): number;
  shuffle<T>(items: T[]): T[];
}
export function fnv1a(text: string): number;
export function mulberry32(seed: number): () => number;
export function createRng(seed: number | string): Rng;

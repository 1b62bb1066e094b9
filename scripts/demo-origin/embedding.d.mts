export const EMBEDDING_DIM: 128;
export function embed(text: string, dimensions?: number): number[];
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number;
export function toBase64(vector: ArrayLike<number>): string;
export function fromBase64(text: string): number[];

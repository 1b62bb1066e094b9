import type { Rng } from "./prng.mjs";
export const IMAGE_SIZE: 8;
export const FEATURES: 64;
export const CLASSES: 10;
export const MAX_INTENSITY: 16;
export const GLYPHS: Record<string, string[][]>;
/** 64 integers 0..16, row-major. */
export function renderDigit(digit: number, rng: Rng): number[];
export function generateDigits(options: { n: number; seed?: number }): { X: number[][]; y: number[] };
export function showDigit(image: number[]): string;

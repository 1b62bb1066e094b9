/** Types for families.mjs (the workerd tests run the attack families through the Worker). */
export type Ask = (rows: number[][]) => Promise<number[][] | null>;
export type Family = (ask: Ask, options: Record<string, unknown> & { budget: number }) => Promise<{ X: number[][]; Y: number[][] }>;
export const FAMILIES: { jacobian: Family; random: Family; active: Family; knockoff: Family };
export const SETTINGS: { tuning: Array<Record<string, unknown>>; reporting: Array<Record<string, unknown>> };

// Types for metrics.js, for TypeScript callers (test/browser/console-logic.test.ts).
export interface Sample { name: string; labels: Record<string, string>; value: number }
export function parseExposition(text: string): Sample[];
export function sumBy(samples: Sample[], name: string, tenant: string, label: string, keep?: (labels: Record<string, string>) => boolean): Record<string, number>;

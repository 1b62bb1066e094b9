// Types for patch.js, for TypeScript callers (test/browser/console-logic.test.ts).
export function mergePatchFor(before: unknown, after: unknown): unknown;

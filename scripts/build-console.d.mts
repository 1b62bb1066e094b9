// Types for build-console.mjs, for TypeScript callers (test/browser/console-bundle.test.ts).
export function consoleModule(): Promise<string>;

/// <reference types="vite/client" />
/**
 * The Worker's and the Durable Objects' source texts, for the tests that check rules on the code
 * itself (log lines, test hooks, the request path's shape). Keys are the paths as this module
 * globs them (`../../worker/log.ts`); the generated console assets are not source.
 */
export const sources = import.meta.glob(["../../worker/**/*.ts", "../../durable-objects/**/*.ts", "!../../worker/console/assets.generated.ts"], {
  query: "?raw",
  import: "default",
  eager: true,
}) as Record<string, string>;

/** The sources without the files whose paths end with one of `ends` (the module a rule is about). */
export const sourcesExcept = (...ends: string[]): Record<string, string> =>
  Object.fromEntries(Object.entries(sources).filter(([path]) => !ends.some((end) => path.endsWith(end))));

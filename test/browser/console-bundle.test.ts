/// <reference types="node" />
/**
 * The console the Worker serves is built from console/ into worker/console/assets.generated.ts,
 * which is committed (wrangler, Miniflare and the vitest pool import it as it is). This fails
 * when a source changed without a rebuild.
 */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../../scripts/lib/local-warden.mjs";
import { consoleModule } from "../../scripts/build-console.mjs";

describe("console bundle", () => {
  it("is what console/ builds to (run `npm run build:console` after editing console/)", async () => {
    const committed = readFileSync(join(ROOT, "worker/console/assets.generated.ts"), "utf8");
    expect(committed === (await consoleModule())).toBe(true);
  });
});

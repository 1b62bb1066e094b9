import { defineConfig } from "vitest/config";
import { cloudflareTest } from "@cloudflare/vitest-pool-workers";

/**
 * Test projects, all but e2e inside workerd:
 * - unit:        pure modules, in workerd, without the Worker or its Durable Objects (fast start).
 * - integration: the whole Worker with real Durable Object storage and real HTTP origins on
 *                127.0.0.1 started by test/helpers/global-setup.ts.
 * - screening:   the WASM model; onnxruntime takes ~11 s to load in the pool, so it is kept apart.
 * - e2e:         Node drives `wrangler dev` with the official openai SDK.
 * - browser:     Debian's chromium (playwright-core) drives the admin console on `wrangler dev`.
 */
const TEST_SECRETS = {
  ADMIN_TOKEN: "test-admin-token-0123456789abcdef",
  // 32 bytes of test key material, base64. Test only: production secrets come from `wrangler secret put`.
  MASTER_KEY: "dGVzdC1tYXN0ZXIta2V5LTMyLWJ5dGVzLWxvbmctISE=",
  ALLOW_LOOPBACK_ORIGINS: "true",
  // The pool waits for waitUntil work before SELF.fetch returns: write metrics at once (worker/metrics/record.ts).
  METRICS_FLUSH_MS: "0",
};

/** The whole Worker with its Durable Objects, bound to the origins global-setup.ts started. */
const wholeWorker = () =>
  cloudflareTest(({ inject }) => ({
    main: "./worker/index.ts",
    wrangler: { configPath: "./wrangler.toml" },
    miniflare: { bindings: { ...TEST_SECRETS, ORIGIN_URL: inject("originUrl"), ORIGIN_URL_2: inject("originUrl2"), ORIGIN_DOWN_URL: inject("originDownUrl") } },
  }));

const SHARED_INTEGRATION = ["test/integration/bypasses/**/*.test.ts", "test/integration/admin/**/*.test.ts"];

export default defineConfig({
  test: {
    // Warden's JSON operator logs are shown for failing tests only.
    silent: "passed-only",
    projects: [
      {
        plugins: [cloudflareTest({ miniflare: { compatibilityDate: "2026-04-26" } })],
        // Some unit tests run tens of thousands of cases: 5 s (the default) was exceeded under load.
        // One workerd for all unit files (isolate: false): they import pure modules only, so
        // nothing leaks between files, and a fresh runtime per file cost ~2 s each.
        test: { name: "unit", include: ["test/unit/**/*.test.ts"], testTimeout: 60_000, isolate: false },
      },
      {
        plugins: [wholeWorker()],
        test: {
          // Short files whose tenants are their own (fresh ids), run one after another in one Worker:
          // a fresh workerd and module graph per file cost ~6 s each. Files with heavy or long
          // workloads stay in `integration`, one Worker each: run together in one workerd, the
          // extraction and budget files slowed each other down and the runtime once crashed.
          name: "integration-shared",
          include: SHARED_INTEGRATION,
          isolate: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
          globalSetup: ["./test/helpers/global-setup.ts"],
        },
      },
      {
        plugins: [wholeWorker()],
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          exclude: SHARED_INTEGRATION,
          // Generous: some tests fire hundreds of concurrent requests, and on a busy 2-core machine
          // (CI beside other jobs) 200 concurrent Durable Object calls were seen to take over 30 s.
          // A timeout is only a ceiling; tests wait on conditions, never on time.
          testTimeout: 120_000,
          hookTimeout: 120_000,
          globalSetup: ["./test/helpers/global-setup.ts"],
        },
      },
      {
        plugins: [wholeWorker()],
        test: {
          name: "screening",
          include: ["test/screening/**/*.test.ts"],
          // One Worker for all screening files: onnxruntime and the model load once, not per file.
          isolate: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
          globalSetup: ["./test/helpers/global-setup.ts"],
        },
      },
      {
        test: {
          name: "e2e",
          environment: "node",
          include: ["test/e2e/**/*.test.ts"],
          testTimeout: 120_000,
          // A beforeAll cold-starts `wrangler dev` (waitForHealth allows 150 s on a loaded 2-core
          // machine) and then sets up tenants, or `npm start` does both: 180 s left little over.
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: "browser",
          environment: "node",
          include: ["test/browser/**/*.test.ts"],
          testTimeout: 120_000,
          // `wrangler dev` (up to 150 s) and then chromium start in one beforeAll.
          hookTimeout: 300_000,
        },
      },
    ],
  },
});

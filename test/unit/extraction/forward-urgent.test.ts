import { afterEach, describe, expect, it, vi } from "vitest";
import { FORWARD_BATCH, PrincipalRole, type PrincipalHost } from "../../../durable-objects/signals-principal";
import type { SignalsWrites } from "../../../durable-objects/signals-store";
import type { IngestInput } from "../../../durable-objects/signals-tenant";
import { DIMS } from "../../../worker/extraction/projection";
import { NO_TENANT_VIEW, type TenantView } from "../../../worker/extraction/principal";

/**
 * The principal's forwards to the tenant object (issue 11): a changed standing goes at once, even
 * when it queued behind more rows than one call carries. Time is frozen (fake timers), so a
 * forward left to the coalescing timer never goes within the test.
 */
describe("principal forwards: a changed standing left behind a full batch", () => {
  afterEach(() => vi.useRealTimers());

  it("is sent by the next call, not after the coalescing interval", async () => {
    vi.useFakeTimers();
    const calls: IngestInput[] = [];
    const answers: Array<(v: TenantView) => void> = [];
    // The role's write-behind is not under test: every write is a no-op.
    const writes = new Proxy({}, { get: () => () => {} }) as SignalsWrites;
    const host: PrincipalHost = {
      writes,
      bind: () => {},
      ingest: (input) => {
        calls.push(input);
        return new Promise((resolve) => answers.push(resolve));
      },
    };
    const role = new PrincipalRole(host);
    const rows = (n: number, seed: number) => Array.from({ length: n }, (_, i) => Array.from({ length: DIMS }, (_, d) => Math.sin(seed * 7919 + i * 31 + d)));
    const quiet = { mode: "on" as const, degrade_at: 2, block_at: 3, cooldown_s: 60 };
    const escalating = { ...quiet, degrade_at: 0 };
    const settle = async () => {
      for (let i = 0; i < 20; i++) await Promise.resolve();
    };

    role.observe({ tenant: "t", principal: "p", features: rows(1, 1), policy: quiet });
    expect(calls).toHaveLength(1); // the first after a quiet spell goes at once
    // While it is in flight: a full batch of rows, then the observation that changes the standing.
    role.observe({ tenant: "t", principal: "p", features: rows(FORWARD_BATCH, 2), policy: quiet });
    expect(role.observe({ tenant: "t", principal: "p", features: rows(1, 3), policy: escalating }).state).toBe("degraded");
    expect(calls).toHaveLength(1);

    answers[0]!(NO_TENANT_VIEW);
    await settle();
    expect(calls).toHaveLength(2);
    expect(calls[1]!.features).toHaveLength(FORWARD_BATCH); // the full batch; the standing change waits behind it

    answers[1]!(NO_TENANT_VIEW);
    await settle();
    expect(calls).toHaveLength(3);
    expect(calls[2]!.outcome.state).toBe("degraded");
    answers[2]!(NO_TENANT_VIEW);
    await settle();
  });
});

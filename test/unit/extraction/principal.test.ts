import { describe, expect, it } from "vitest";
import { PrincipalSignals, NO_TENANT_VIEW, similarityFlag } from "../../../worker/extraction/principal";
import { observeStep } from "../../../worker/extraction/observe";
import { NORMAL, type Standing } from "../../../worker/extraction/state";
import { MEMORY, MIN_EVIDENCE, WINDOW } from "../../../worker/extraction/params";
import { extractionInputs, naturalInputs, project } from "./synthetic";

const T = Date.UTC(2026, 0, 1, 12);
const POLICY = { mode: "on" as const, degrade_at: 0.6, block_at: 0.9, cooldown_s: 900 };

/** Feeds queries one per second; returns the highest score seen and when the score first reached `at`. */
function feed(p: PrincipalSignals, vectors: number[][], at = POLICY.degrade_at): { max: number; firstAt: number } {
  let max = 0;
  let firstAt = -1;
  vectors.forEach((v, i) => {
    p.observe([v], 1, T + i * 1000, null);
    const score = p.assess(T + i * 1000, NO_TENANT_VIEW).score;
    max = Math.max(max, score);
    if (firstAt < 0 && score >= at) firstAt = i;
  });
  return { max, firstAt };
}

describe("PrincipalSignals", () => {
  it("leaves natural traffic below degrade_at", () => {
    for (const seed of [1, 2, 3]) {
      const p = new PrincipalSignals();
      expect(feed(p, project(naturalInputs(600, seed))).max).toBeLessThan(POLICY.degrade_at);
      const raw = p.assess(T + 600_000, NO_TENANT_VIEW).raw;
      expect(raw.w).toBeGreaterThan(0.9);
    }
  });

  it("flags Jacobian-augmentation traffic: PRADA's W falls and the score reaches block_at", () => {
    const p = new PrincipalSignals();
    const run = feed(p, project(extractionInputs(600, 4)), POLICY.block_at);
    expect(run.firstAt).toBeGreaterThan(100); // nothing before the first children
    expect(run.firstAt).toBeLessThan(400);
  });

  it("ignores repeats: asking the same input again adds no evidence", () => {
    const p = new PrincipalSignals();
    const v = project(naturalInputs(30, 5));
    feed(p, v);
    const before = { mem: p.memCount, d: p.distances.count, total: p.total };
    p.observe([v[3]!, v[3]!, v[7]!], 3, T, null);
    expect(p.memCount).toBe(before.mem);
    expect(p.distances.count).toBe(before.d);
    expect(p.total).toBe(before.total + 3);
  });

  it("stays within its memory bound", () => {
    const p = new PrincipalSignals();
    const written = p.observe(project(naturalInputs(MEMORY + 300, 6)), MEMORY + 300, T, null);
    expect(p.memCount).toBe(MEMORY + 300);
    expect(Math.max(...written.slots)).toBe(MEMORY - 1);
    expect(p.distances.length).toBe(WINDOW);
    expect(p.buckets.size).toBeGreaterThan(0);
  });

  it("needs MIN_EVIDENCE answers before boundary probing counts", () => {
    const p = new PrincipalSignals();
    p.recordMargins(new Array(MIN_EVIDENCE - 1).fill(0.01));
    expect(p.assess(T, NO_TENANT_VIEW).raw.boundary).toBeNull();
    p.recordMargins([0.01]);
    expect(p.assess(T, NO_TENANT_VIEW).signals.boundary).toBe(1);
    p.recordMargins(new Array(WINDOW).fill(0.9));
    expect(p.assess(T, NO_TENANT_VIEW).signals.boundary).toBe(0);
  });

  it("flags a query whose nearest neighbour is much closer than its others, or close in absolute terms", () => {
    expect(similarityFlag([0.2, 1, 1.1, 1.2, 1.3], null)).toBe(true);
    expect(similarityFlag([0.9, 1, 1.1, 1.2, 1.3], null)).toBe(false);
    expect(similarityFlag([0.2, 0.21, 0.22, 0.23, 0.24], null)).toBe(false);
    expect(similarityFlag([0.2, 0.21, 0.22, 0.23, 0.24], 1.5)).toBe(true);
    expect(similarityFlag([0.2, 0.3], 1.5)).toBe(false);
  });

  it("takes the tenant view's cross score when it is higher", () => {
    const p = new PrincipalSignals();
    expect(p.assess(T, { cross: 0.7, tenant: 0.5, reference: null }).score).toBe(0.7);
  });
});

describe("observeStep", () => {
  it("blocks, refuses without recording, then puts the principal on probation with clean windows", () => {
    const p = new PrincipalSignals();
    const policy = { ...POLICY, cooldown_s: 60 };
    let standing: Standing = NORMAL;
    const escalations: string[] = [];
    let blockedAt = -1;
    const attack = project(extractionInputs(800, 7));
    for (let i = 0; i < attack.length && blockedAt < 0; i++) {
      const r = observeStep(p, standing, { vectors: [attack[i]!], queries: 1, nowMs: T + i * 10, policy, view: NO_TENANT_VIEW, lastScore: 0 });
      standing = r.standing;
      if (r.outcome.escalated) escalations.push(`${r.outcome.escalated.from}->${r.outcome.escalated.to}`);
      if (r.outcome.state === "blocked") blockedAt = i;
    }
    expect(blockedAt).toBeGreaterThan(0);
    expect(escalations.at(-1)).toMatch(/->blocked$/);
    const blockedUntil = standing.untilMs!;
    expect(blockedUntil).toBe(T + blockedAt * 10 + 60_000);

    const mem = p.memCount;
    const refused = observeStep(p, standing, { vectors: [attack[blockedAt + 1]!], queries: 1, nowMs: blockedUntil - 1, policy, view: NO_TENANT_VIEW, lastScore: 0.95 });
    expect(refused.outcome).toMatchObject({ state: "blocked", score: 0.95, escalated: null });
    expect(p.memCount).toBe(mem);

    const after = observeStep(p, refused.standing, { vectors: [attack[blockedAt + 1]!], queries: 1, nowMs: blockedUntil, policy, view: NO_TENANT_VIEW, lastScore: 0.95 });
    expect(after.windowsCleared).toBe(true);
    expect(after.outcome.state).toBe("degraded");
    expect(after.outcome.until).toBe(new Date(blockedUntil + 60_000).toISOString());
    expect(p.distances.length).toBeLessThanOrEqual(1);
  });

  it("records nothing with mode off", () => {
    const p = new PrincipalSignals();
    const r = observeStep(p, NORMAL, { vectors: project(naturalInputs(5, 8)), queries: 5, nowMs: T, policy: { ...POLICY, mode: "off" }, view: NO_TENANT_VIEW, lastScore: 0 });
    expect(r.outcome).toEqual({ score: 0, state: "normal", until: null, escalated: null });
    expect(p.total).toBe(0);
  });
});

/**
 * From score to standing (CONTRACT §5): `normal` below `degrade_at`; `degraded` at or above it
 * (stronger output protection, unannounced); `blocked` at or above `block_at` (403
 * `extraction_suspected`) until `until` = now + `cooldown_s`.
 *
 * Both raised states are sticky for `cooldown_s`, so an attacker cannot flip back to clean answers
 * by diluting its windows with a few natural queries. When a block ends the principal comes back
 * `degraded` (on probation, for another cooldown) and its windows are cleared, so it is judged on
 * what it does after the block; its query memory is kept, so resuming the same attack is recognised
 * at once. Only an admin reset returns a principal to `normal` with a clean slate.
 */
export type ExtractionState = "normal" | "degraded" | "blocked";

export interface ExtractionPolicy {
  mode?: "on" | "off";
  degrade_at: number;
  block_at: number;
  cooldown_s: number;
  /** What evidence from text models may do: "degrade" (default) caps it there; "block" as on OIP. */
  text?: "degrade" | "block";
}

export const DEFAULT_EXTRACTION_POLICY: Required<ExtractionPolicy> = { mode: "on", degrade_at: 0.6, block_at: 0.9, cooldown_s: 900, text: "degrade" };

/** Where a request's queries come from: text a model reads, or numeric rows (OIP). */
export type QuerySurface = "text" | "tabular";

/**
 * The highest state one request's evidence may raise a principal to. Distillation through a text
 * API looks like heavy honest use — evaluation runs of templated near-duplicate prompts, batch
 * jobs of diverse ones — and every text signal (volume, novelty, near-duplicates, PRADA on prompt
 * fingerprints) fires on both, so by default text evidence degrades at most (issue 9).
 */
export function ceilingFor(surface: QuerySurface, policy: ExtractionPolicy): ExtractionState {
  return surface === "text" && (policy.text ?? "degrade") === "degrade" ? "degraded" : "blocked";
}

export interface Standing {
  state: ExtractionState;
  /** Epoch ms when a raised state lapses; null when normal. */
  untilMs: number | null;
}

export interface Escalation {
  from: ExtractionState;
  to: ExtractionState;
}

export const NORMAL: Standing = { state: "normal", untilMs: null };

const RANK: Record<ExtractionState, number> = { normal: 0, degraded: 1, blocked: 2 };

/** The standing at `nowMs` before any new evidence: lapses an expired block or degradation. */
export function lapse(s: Standing, nowMs: number, policy: ExtractionPolicy): { standing: Standing; blockEnded: boolean } {
  if (s.state === "blocked" && s.untilMs !== null && nowMs >= s.untilMs) {
    return { standing: { state: "degraded", untilMs: s.untilMs + policy.cooldown_s * 1000 }, blockEnded: true };
  }
  if (s.state === "degraded" && s.untilMs !== null && nowMs >= s.untilMs) return { standing: NORMAL, blockEnded: false };
  return { standing: s, blockEnded: false };
}

/**
 * The standing once `score` is known; never lowers a raised state before its `until`, never raises
 * it above `ceiling` (ceilingFor).
 */
export function escalate(
  s: Standing,
  score: number,
  policy: ExtractionPolicy,
  nowMs: number,
  ceiling: ExtractionState = "blocked",
): { standing: Standing; escalated: Escalation | null } {
  const scored: ExtractionState = score >= policy.block_at ? "blocked" : score >= policy.degrade_at ? "degraded" : "normal";
  const level = RANK[scored] > RANK[ceiling] ? ceiling : scored;
  if (RANK[level] <= RANK[s.state]) {
    // Fresh evidence at the current level keeps a degradation alive.
    if (level === "degraded" && s.state === "degraded") return { standing: { state: "degraded", untilMs: Math.max(s.untilMs ?? 0, nowMs + policy.cooldown_s * 1000) }, escalated: null };
    return { standing: s, escalated: null };
  }
  return { standing: { state: level, untilMs: nowMs + policy.cooldown_s * 1000 }, escalated: { from: s.state, to: level } };
}

export function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

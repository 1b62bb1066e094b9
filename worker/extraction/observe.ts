/**
 * One request through a principal's signals, the logic the SignalsObject runs and the benchmark
 * reuses: lapse an expired state, refuse while blocked (a refused query is not recorded: it was
 * not answered), record the queries, score, escalate. With `mode: "off"` nothing is recorded.
 */
import { PrincipalSignals, type Assessment, type TenantView, type Written } from "./principal";
import { ceilingFor, escalate, isoOrNull, lapse, type Escalation, type ExtractionPolicy, type ExtractionState, type QuerySurface, type Standing } from "./state";

export interface ObserveOutcome {
  score: number;
  state: ExtractionState;
  /** RFC 3339 end of the raised state; null when normal. */
  until: string | null;
  /** Set when this request raised the state: the caller writes it to the audit log. */
  escalated: (Escalation & { score: number; signals: Assessment["signals"] }) | null;
}

export interface StepResult {
  outcome: ObserveOutcome;
  standing: Standing;
  assessment: Assessment | null;
  written: Written | null;
  /** True when a block ended here and the windows were cleared. */
  windowsCleared: boolean;
}

export function observeStep(
  p: PrincipalSignals,
  current: Standing,
  input: {
    vectors: readonly number[][];
    queries: number;
    nowMs: number;
    policy: ExtractionPolicy;
    view: TenantView;
    lastScore: number;
    surface?: QuerySurface;
    /**
     * Per-row input statistics of the request (far.ts farRows): rows far from the model's reference
     * data, of how many (of 0: no reference); rows uniform over the declared range, of how many.
     */
    far?: { far: number; of: number; uniform?: number; uniformOf?: number } | null;
    /**
     * Per vector, whether its row is uniform over the declared range (features.ts). When given,
     * the uniform window counts unrepeated queries only and `far.uniform` is not used.
     */
    uniform?: readonly boolean[] | null;
  },
): StepResult {
  const { nowMs, policy } = input;
  if (policy.mode === "off") {
    return { outcome: { score: 0, state: "normal", until: null, escalated: null }, standing: current, assessment: null, written: null, windowsCleared: false };
  }
  const lapsed = lapse(current, nowMs, policy);
  if (lapsed.blockEnded) p.clearWindows();
  if (lapsed.standing.state === "blocked") {
    return {
      outcome: { score: input.lastScore, state: "blocked", until: isoOrNull(lapsed.standing.untilMs), escalated: null },
      standing: lapsed.standing,
      assessment: null,
      written: null,
      windowsCleared: lapsed.blockEnded,
    };
  }
  const flags = input.uniform && input.uniform.length === input.vectors.length ? input.uniform : null;
  const written = p.observe(input.vectors, input.queries, nowMs, input.view.reference, input.view.stats ?? null, flags);
  const f = input.far;
  if (f && written.slots.length > 0) {
    if (f.of > 0) p.recordFar(f.far, f.of);
    if (f.uniformOf && !flags) p.recordUniform(f.uniform ?? 0, f.uniformOf);
  }
  let assessment = p.assess(nowMs, input.view);
  if (p.noteEvidence(assessment.signals, written.slots.length)) assessment = p.assess(nowMs, input.view);
  const { standing, escalated } = escalate(lapsed.standing, assessment.score, policy, nowMs, ceilingFor(input.surface ?? "tabular", policy));
  return {
    outcome: {
      score: assessment.score,
      state: standing.state,
      until: isoOrNull(standing.untilMs),
      escalated: escalated ? { ...escalated, score: assessment.score, signals: assessment.signals } : null,
    },
    standing,
    assessment,
    written,
    windowsCleared: lapsed.blockEnded,
  };
}

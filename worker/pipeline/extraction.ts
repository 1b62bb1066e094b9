import type { Context } from "hono";
import type { DataEnv } from "../context";
import type { Model } from "../config/model";
import { WardenError } from "../errors";
import { recordAudit } from "../audit/record";
import { principalSignals, principalSignalsName } from "../clients/signals";
import type { PreparedOf, RouteKind, RouteSpec } from "./route";
import { errorFields, log } from "../log";
import type { BudgetLease } from "./budget";
import { noteExtraction } from "../clients/budget";
import type { ExtractionStanding } from "../../durable-objects/budget";
import { ANSWERS_CARRY_MS, queueAnswer, takeAnswers, timerFired } from "../extraction/answers";
import { coalesce, inFlight } from "../extraction/observe-batch";
import type { ObserveItem } from "../../durable-objects/signals";
import type { ExtractionPolicy } from "../extraction/state";

/**
 * The extraction gate, on the request path: the standing the principal's budget object reported
 * with the admission (no call of its own). A blocked principal gets 403 `extraction_suspected`
 * until its cooldown ends; degradation is not announced. With `mode: "off"` nothing applies.
 */
export function extractionGate(c: Context<DataEnv>, lease: BudgetLease): ExtractionStanding {
  if (c.get("tenant").policy.extraction.mode === "off") return NORMAL_STANDING;
  const { state, until } = lease.extraction;
  if (state === "blocked") {
    throw new WardenError("extraction_suspected", "Requests from this credential are paused.", {
      headers: until ? { "retry-after": String(Math.max(1, Math.ceil((Date.parse(until) - Date.now()) / 1000))) } : {},
      reason: `extraction blocked until ${until}`,
    });
  }
  return lease.extraction;
}

const NORMAL_STANDING: ExtractionStanding = { state: "normal", until: null };

/**
 * A degraded standing's end moves out with every observation that stays degraded: telling the
 * budget object each time would cost a call and a write per request. It is told when the state
 * changes, or when the end moved more than UNTIL_SLACK_MS past what it holds (a standing that
 * lapsed there early comes back with the next observation).
 */
const UNTIL_SLACK_MS = 60_000;
export function standingMoved(known: ExtractionStanding, now: { state: ExtractionStanding["state"]; until: string | null }): boolean {
  if (known.state !== now.state) return true;
  if (now.until === null || known.until === null) return now.until !== known.until;
  return Date.parse(now.until) - Date.parse(known.until) > UNTIL_SLACK_MS;
}

/**
 * The extraction signals of an admitted request, observed off the critical path (waitUntil; a
 * round trip to the principal's SignalsObject, which scores). Calls to one principal's object are
 * coalesced per isolate (extraction/observe-batch.ts): the observation goes at once when no call
 * is in flight there, else with everything queued behind it in the next call. Escalations go to
 * the audit log with their own request's id; a standing that differs from what the admitting
 * budget object knew is reported to it, so the principal's next request is refused or degraded
 * there. The request itself goes on meanwhile: the request that crosses a threshold is answered
 * as before it (docs/budgets.md).
 */
export function observeExtraction<K extends RouteKind>(c: Context<DataEnv>, route: RouteSpec<K>, prepared: PreparedOf<K>, model: Model, known: ExtractionStanding): void {
  const policy = c.get("tenant").policy.extraction;
  if (policy.mode === "off") return;
  const tenant = c.get("tenant");
  const principal = c.get("principal");
  const requestId = c.get("requestId");
  // What the detector sees of a request (the route's hook): OIP rows, or the texts a model reads (docs/extraction.md).
  const seen = route.observe?.(prepared, model) ?? null;
  if (!seen || seen.features.features.length === 0) return;
  const { features: f, surface, far } = seen;
  const object = principalSignalsName(tenant.id, principal.id);
  // Earlier answers' margins of this principal ride along, recorded before these queries (extraction/answers.ts).
  const answers = takeAnswers(object);
  const input: ObserveItem = {
    features: f.features, queries: f.queries, surface, far: far?.() ?? null,
    ...(f.uniform ? { uniform: f.uniform } : {}),
    ...(answers.length ? { answers } : {}),
    atMs: Date.now(),
  };
  const drain = coalesce<Observation>(object, { input, policy, requestId, model: model.name, known }, f.features.length, (batch, dropped) => sendObservations(c, batch, dropped));
  if (drain) c.executionCtx.waitUntil(drain);
}

/** An observation waiting for its call, with what its request's follow-up needs. */
interface Observation {
  input: ObserveItem;
  policy: ExtractionPolicy;
  requestId: string;
  model: string;
  known: ExtractionStanding;
}

/**
 * One call for a principal's coalesced observations, from the flight owner's request `c` (same
 * tenant and principal as every item: the object's name says so). Each escalation is audited with
 * its own request's id; the final standing goes to the budget object when any item's admission
 * knew another. A failed call loses the observations it carried (and the margins riding on them).
 */
async function sendObservations(c: Context<DataEnv>, batch: Observation[], dropped: number): Promise<void> {
  const tenant = c.get("tenant");
  const principal = c.get("principal");
  if (dropped > 0) log("extraction.observe_dropped", { tenant: tenant.id, principal: principal.id, dropped });
  const policy = batch[batch.length - 1]!.policy;
  try {
    const outcome = await principalSignals(c.env, tenant.id, principal.id).observeBatch({
      tenant: tenant.id, principal: principal.id, policy,
      items: batch.map((o) => (o.policy === policy ? o.input : { ...o.input, policy: o.policy })),
    });
    for (const { index, until, escalated } of outcome.escalations) {
      const o = batch[index]!;
      recordAudit(c.env, c.executionCtx, tenant.id, {
        type: "escalation",
        principal: principal.id,
        reason: `extraction: ${escalated.from} → ${escalated.to} at score ${escalated.score.toFixed(3)}`,
        detail: { request_id: o.requestId, model: o.model, from: escalated.from, to: escalated.to, score: escalated.score, signals: escalated.signals, until },
      });
    }
    if (batch.some((o) => standingMoved(o.known, outcome))) await noteExtraction(c.env, tenant.id, principal.id, { state: outcome.state, until: outcome.until });
  } catch (err) {
    log("extraction.observe_failed", { request_id: batch[0]!.requestId, observations: batch.length, error: errorFields(err).error });
  }
}

/** How often, and how long at most, the margins' timer waits for the object's observations in flight. */
const ANSWERS_RECHECK_MS = 25;
const ANSWERS_WAIT_MS = 10_000;

/**
 * Boundary probing: how close the origin's top two answers were, recorded after the answer. They
 * ride on the principal's next observation from this isolate (extraction/answers.ts); what none
 * took within ANSWERS_CARRY_MS goes in one call per principal.
 */
export function recordMargins(c: Context<DataEnv>, margins: number[]): void {
  if (margins.length === 0 || c.get("tenant").policy.extraction.mode === "off") return;
  const tenant = c.get("tenant");
  const principal = c.get("principal");
  const object = principalSignalsName(tenant.id, principal.id);
  if (!queueAnswer(object, margins)) return;
  c.executionCtx.waitUntil(
    new Promise((resolve) => setTimeout(resolve, ANSWERS_CARRY_MS))
      .then(async () => {
        // Observations still in the air or queued for the object carry earlier answers: a call of
        // this timer's own would overtake them (calls on different stubs are not ordered), and the
        // object's answer window would then hold the margins out of order. Wait for them (bounded:
        // a flight is live at most DRAIN_MS); what pending answers they take meanwhile stays in order.
        for (let waited = 0; inFlight(object) && waited < ANSWERS_WAIT_MS; waited += ANSWERS_RECHECK_MS)
          await new Promise((resolve) => setTimeout(resolve, ANSWERS_RECHECK_MS));
        const answers = timerFired(object);
        if (answers.length) return principalSignals(c.env, tenant.id, principal.id).recordAnswer({ tenant: tenant.id, principal: principal.id, margins: [], answers });
      })
      .catch((err: unknown) => log("extraction.record_failed", { request_id: c.get("requestId"), error: errorFields(err).error })),
  );
}

import type { BudgetMeta } from "./budget-store";

/**
 * A principal's extraction standing as its SignalsObject last reported it, kept by the principal's
 * budget object so that the one call that admits a request also knows whether the principal is
 * blocked or degraded (docs/budgets.md, docs/extraction.md). The signals are observed off the
 * request's critical path (worker/pipeline/extraction.ts), which reports here only when the
 * standing changed. Kept in `budget_meta` under `extraction`: `{ state, untilMs }`; absent = normal.
 */
export type RaisedState = "degraded" | "blocked";
export interface ExtractionStanding {
  state: "normal" | RaisedState;
  /** RFC 3339 end of a raised state; null when normal. */
  until: string | null;
}
export interface ExtractionNote extends ExtractionStanding {
  /** An admin reset: lowers the standing whatever it was. */
  reset?: boolean;
}

const RANK = { normal: 0, degraded: 1, blocked: 2 } as const;
const NORMAL: ExtractionStanding = { state: "normal", until: null };

export class BudgetExtraction {
  readonly #meta: BudgetMeta;

  constructor(meta: BudgetMeta) {
    this.#meta = meta;
  }

  /** The standing now: a raised state whose end has passed is normal again. */
  current(nowMs: number): ExtractionStanding {
    const raw = this.#meta.get("extraction");
    if (!raw) return NORMAL;
    const s = JSON.parse(raw) as { state: RaisedState; untilMs: number };
    return s.untilMs > nowMs ? { state: s.state, until: new Date(s.untilMs).toISOString() } : NORMAL;
  }

  /**
   * Notes may arrive out of order (each request's observation reports from its own waitUntil): a
   * note never lowers a standing still in force, except an admin reset. Only an object that has
   * admitted a request (a bound principal) keeps one: a reset must not create objects.
   */
  note(note: ExtractionNote, nowMs: number): void {
    if (this.#meta.get("role") !== "principal") return;
    const now = this.current(nowMs);
    if (!note.reset && RANK[note.state] < RANK[now.state]) return;
    const untilMs = note.until === null ? 0 : Date.parse(note.until);
    if (note.state === "normal" || !(untilMs > nowMs)) {
      if (this.#meta.get("extraction") !== undefined) this.#meta.delete("extraction");
      return;
    }
    if (!note.reset && note.state === now.state && now.until !== null && Date.parse(now.until) >= untilMs) return;
    this.#meta.set("extraction", JSON.stringify({ state: note.state, untilMs }));
  }
}

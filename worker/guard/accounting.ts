import type { Context } from "hono";
import type { DataEnv } from "../context";
import { queueGuardCounts } from "../metrics/record";
import { recordAudit } from "../audit/record";
import { labelKey, type CounterRow } from "../metrics/observation";
import { log } from "../log";
import { parseCountKey, type GuardCounts } from "./guard";

/**
 * Counts of one answer's output-guard matches into metrics (by category, detector, action), the
 * usage view (by principal and category) and the audit log, after the answer (waitUntil). Only
 * names and numbers leave: never the matched text, never a span of it.
 */
export function recordGuard(c: Context<DataEnv>, model: string, counts: GuardCounts): void {
  if (counts.size === 0) return;
  const tenant = c.get("tenant").id;
  const principal = c.get("principal").id;
  const rows: CounterRow[] = [];
  const byCategory = new Map<string, { category: string; action: string; n: number }>();
  const summary: Record<string, Record<string, number>> = {};
  for (const [key, n] of counts) {
    const { category, detector, action } = parseCountKey(key);
    rows.push({ name: "warden_output_guard_total", labels: labelKey({ tenant, model, category, detector, action }), value: n });
    const k = `${category}/${action}`;
    const row = byCategory.get(k) ?? { category, action, n: 0 };
    row.n += n;
    byCategory.set(k, row);
    (summary[category] ??= {})[`${detector}:${action}`] = n;
  }
  const actions = new Set([...byCategory.values()].map((r) => r.action));
  const worst = ["block", "error", "redact", "input_redact", "monitor", "input_monitor"].find((a) => actions.has(a)) ?? "monitor";
  log("guard.matches", { request_id: c.get("requestId"), tenant, model, principal, counts: summary });
  try {
    // Into the isolate's metrics batch: written with the next flush, not a call per answer.
    queueGuardCounts(c.env, c.executionCtx, tenant, rows, [...byCategory.values()].map((r) => ({ principal, ...r })));
    recordAudit(c.env, c.executionCtx, tenant, {
      type: "output_guard",
      principal,
      reason: `output_guard ${worst}: ${[...byCategory.values()].map((r) => `${r.category} ${r.action} ${r.n}`).join(", ")}`,
      detail: { model, request_id: c.get("requestId"), counts: summary },
      // A client can make a model repeat a card number as often as its rate allows: one entry a minute.
      repeat_key: `output_guard:${worst}`,
    });
  } catch {
    // No execution context (a unit test calling the app directly): nothing to count into.
  }
}

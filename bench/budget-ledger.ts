/**
 * CPU cost of the budget decision alone: the principal ledger's admit + settle with all five
 * limits set, no storage, no RPC.  Run: npx tsx bench/budget-ledger.ts
 */
import * as L from "../worker/budget/ledger";
import { limitSet } from "../worker/budget/limits";
import { successHeaders } from "../worker/budget/headers";

const roomy = { requests_per_minute: 60_000_000, burst: 10_000_000, requests_per_day: 1e9, tokens_per_day: 1e12, tokens_per_month: 1e12, max_concurrency: 100_000 };
const sets = { principal: limitSet(roomy), tenant: limitSet({}) };
const l = L.emptyLedger();
const N = 200_000;
for (let round = 0; round < 3; round++) {
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    const id = `r${round}-${i}`;
    const a = L.admit(l, sets, { id, reserve: 100, leaseMs: 60_000 }, Date.now());
    if (a.kind !== "admitted") throw new Error(`refused: ${a.kind}`);
    successHeaders(a.statuses);
    L.settle(l, id, 60, Date.now());
    l.dirty.counters.clear();
    l.dirty.inflight.clear();
  }
  console.log(`round ${round}: admit + settle ${(((performance.now() - t0) / N) * 1000).toFixed(1)} µs`);
}

#!/usr/bin/env -S npx tsx
/**
 * Evaluation by attack family and by benign population (issue 9):
 *
 *   npm run bench:extraction        (= the reporting set, both protections, with and without reference)
 *   npx tsx bench/extraction/families-run.mjs [--set reporting|tuning] [--budget 5000]
 *        [--only FAMILY or LABEL-PREFIX,...] [--protection noisy,rounded] [--reference on,off] [--benign on|off] [--decoy on|off] [--out FILE]
 *   npx tsx bench/extraction/families-table.mjs [FILE]   (the markdown tables of docs/extraction.md)
 *
 * In-process (inprocess.mjs: Warden's own modules around the demo classifier, simulated clock),
 * default policy. Per protection setting (`noisy`: laplace ε = 1; `rounded`: 1 decimal; both with
 * the 0.5 % label watermark and keyed noise), one tenant per attack: 20 ordinary benign principals
 * first (they establish the tenant view), then the attack. Fidelity is the share of 2,000 held-out
 * natural digits on which a 64-32-10 surrogate trained on the attacker's answers agrees with the
 * victim, at 1,000 answered queries and at the budget, against the same attack on the raw origin.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { generateDigits } from "../../scripts/demo-origin/digits.mjs";
import { argmax, predict, predictProba } from "../../scripts/demo-origin/classifier.mjs";
import { InProcessWarden } from "./inprocess.mjs";
import { benignEvents } from "./scenario.mjs";
import { benignStream, benignVolume } from "./traffic.mjs";
import { fidelity } from "./evaluate.mjs";
import { trainSurrogate } from "./surrogate.mjs";
import { FAMILIES, SETTINGS } from "./families.mjs";
import { referenceStats } from "../../worker/anomaly/reference.ts";

const { values: args } = parseArgs({
  options: {
    set: { type: "string", default: "reporting" },
    budget: { type: "string", default: "5000" },
    only: { type: "string" },
    protection: { type: "string", default: "noisy,rounded" },
    out: { type: "string" },
    benign: { type: "string", default: "on" },
    /** With (on) and/or without (off) the model's reference statistics (its training digits), as an operator may upload for the anomaly check. */
    reference: { type: "string", default: "on,off" },
    /** off: degraded principals' synthetic rows keep their true label (the plan before the decoy), for comparison. */
    decoy: { type: "string", default: "on" },
  },
});
const victim = JSON.parse(readFileSync(fileURLToPath(new URL("../../scripts/demo-origin/digits-model.json", import.meta.url)), "utf8"));
const POLICY = { mode: "on", degrade_at: 0.6, block_at: 0.9, cooldown_s: 900, text: "degrade" };
const BUDGET = Number(args.budget);
const CHECKPOINT = 1000;
const PROTECTIONS = {
  noisy: { mode: "laplace", epsilon: 1, keep_top1: true },
  rounded: { mode: "round", decimals: 1, keep_top1: true },
};
const only = args.only ? new Set(args.only.split(",")) : null;

const REFERENCE = referenceStats(generateDigits({ n: 2000, seed: 1 }).X);
const warden = (probabilities, withReference) =>
  new InProcessWarden({ model: victim, policy: POLICY, master: new Uint8Array(32).fill(7), watermarkRate: 0.005, probabilities, reference: withReference ? REFERENCE : null, decoy: args.decoy !== "off" });

/** The surrogate's fidelity after `n` answers (null when it got fewer). */
function fidelityAt(X, Y, n) {
  if (X.length < Math.min(n, 1)) return null;
  const k = Math.min(n, X.length);
  return fidelity(trainSurrogate(X.slice(0, k), Y.slice(0, k), { epochs: 30 }), victim);
}

async function establish(w) {
  for (const e of benignEvents({ principals: 20, start: w.now })) {
    w.now = Math.max(w.now, e.t);
    await w.infer(e.principal, [e.q.x]);
  }
}

/** The attack through Warden: keys in turn, optional benign interleave, its own clock. */
async function attackThrough(w, setting) {
  const a = setting.adaptive ?? {};
  const keys = Array.from({ length: a.keys ?? 1 }, (_, i) => `key:attacker-${i}`);
  const refused = new Set();
  const natural = generateDigits({ n: 20_000, seed: 60 }).X;
  let turn = 0;
  let answered = 0;
  let firstDegraded = null;
  let firstBlocked = null;
  let allBlocked = null;
  const ask = async (rows) => {
    w.now += a.intervalMs ?? 5_000;
    while (refused.size < keys.length) {
      const key = keys[turn++ % keys.length];
      if (refused.has(key)) continue;
      if (a.interleave) await w.infer(key, natural.splice(0, Math.round(rows.length * a.interleave)));
      const r = await w.infer(key, rows);
      const s = w.status(key);
      if (s?.state !== "normal" && firstDegraded === null) firstDegraded = answered;
      if (!r.ok) {
        if (firstBlocked === null) firstBlocked = answered;
        refused.add(key);
        if (refused.size === keys.length) allBlocked = answered;
        continue;
      }
      answered += rows.length;
      return r.probabilities;
    }
    return null;
  };
  const result = await FAMILIES[setting.family](ask, { ...setting, budget: BUDGET });
  return { ...result, firstDegraded, firstBlocked, allBlocked, keysBlocked: refused.size, keys: keys.length };
}

/**
 * The same attack on the raw origin. It depends on nothing Warden does, so it is cached across runs
 * (`baselines.json`, keyed by setting and budget; delete it to recompute).
 */
const BASELINES = fileURLToPath(new URL("./baselines.json", import.meta.url));
const baselines = new Map(existsSync(BASELINES) ? Object.entries(JSON.parse(readFileSync(BASELINES, "utf8"))) : []);
async function unprotected(setting) {
  const id = JSON.stringify({ ...setting, adaptive: undefined, budget: BUDGET });
  if (!baselines.has(id)) {
    const r = await FAMILIES[setting.family](async (rows) => rows.map((x) => predictProba(victim, x)), { ...setting, budget: BUDGET });
    baselines.set(id, { at1000: fidelityAt(r.X, r.Y, CHECKPOINT), atBudget: fidelityAt(r.X, r.Y, BUDGET) });
    writeFileSync(BASELINES, JSON.stringify(Object.fromEntries(baselines), null, 2) + "\n");
  }
  return baselines.get(id);
}

const label = (s) => `${s.family}${s.lambdaShare ? ` λ=${s.lambdaShare}` : ""}${s.seeds ? ` ${s.seeds}` : ""}${s.source ? ` ${s.source}` : ""}${s.shift === false ? " unshifted" : ""} b=${s.batch}${s.adaptive ? ` adaptive ${JSON.stringify(s.adaptive)}` : ""}`;
const pct = (x) => (x === null ? "–" : (100 * x).toFixed(1));

const results = { set: args.set, budget: BUDGET, policy: POLICY, decoy: args.decoy !== "off", command: process.argv.slice(2).join(" "), attacks: [], benign: [] };
for (const referenceOn of args.reference.split(",").map((r) => r === "on"))
for (const protection of args.protection.split(",")) {
  const plan = PROTECTIONS[protection];
  const reference = referenceOn ? "with reference" : "no reference";
  for (const setting of SETTINGS[args.set]) {
    if (only && !only.has(setting.family) && ![...only].some((o) => label(setting).startsWith(o))) continue;
    const started = performance.now();
    const w = warden(plan, referenceOn);
    await establish(w);
    const r = await attackThrough(w, setting);
    const base = await unprotected(setting);
    const row = {
      protection, reference: referenceOn, setting: label(setting), keys: r.keys, keys_blocked: r.keysBlocked, all_blocked_after: r.allBlocked, answered: r.X.length, degraded_after: r.firstDegraded, blocked_after: r.firstBlocked,
      fidelity_1000: fidelityAt(r.X, r.Y, CHECKPOINT), fidelity_budget: fidelityAt(r.X, r.Y, BUDGET),
      unprotected_1000: base.at1000, unprotected_budget: base.atBudget, seconds: Math.round((performance.now() - started) / 1000),
    };
    results.attacks.push(row);
    save();
    console.log(`${protection} | ${reference} | ${row.setting} | answered ${row.answered} | degraded after ${row.degraded_after ?? "never"} | blocked after ${row.blocked_after ?? "never"} | fidelity@1000 ${pct(row.fidelity_1000)} vs ${pct(row.unprotected_1000)} | @${BUDGET} ${pct(row.fidelity_budget)} vs ${pct(row.unprotected_budget)} | ${row.seconds} s`);
  }
  if (args.benign === "on") for (const b of await benignPopulations(plan, referenceOn)) {
    results.benign.push({ protection, reference: referenceOn, ...b });
    save();
    console.log(`${protection} | ${reference} | benign ${b.population} | principals ${b.principals} | degraded ${b.degraded} | blocked ${b.blocked} | refused ${b.refused} | accuracy cost ${b.accuracy_cost_points.toFixed(2)} points`);
  }
}
console.log(`wrote ${save()}`);

/** Written after every row, so a long run that is stopped keeps what it measured. */
function save() {
  const out = args.out ?? fileURLToPath(new URL(`./results-families-${args.set}.json`, import.meta.url));
  writeFileSync(out, JSON.stringify(results, null, 2) + "\n");
  return out;
}

/** Benign populations on one tenant: ordinary, heavy (10×), repeaters, an in-order pager. */
async function benignPopulations(plan, referenceOn) {
  const w = warden(plan, referenceOn);
  const pops = { ordinary: new Set(), heavy: new Set(), repeater: new Set(), pager: new Set() };
  const events = benignEvents({ principals: 20, start: w.now }).map((e) => ({ ...e, pop: "ordinary" }));
  for (let i = 0; i < 3; i++) {
    const principal = `key:heavy-${i}`;
    const stream = benignStream(100 + i, { queries: 10 * benignVolume(100 + i) });
    stream.forEach((q, k) => events.push({ t: w.now + k * 2_000, principal, q, pop: "heavy" }));
  }
  for (let i = 0; i < 2; i++) {
    const principal = `key:repeater-${i}`;
    const few = benignStream(200 + i, { queries: 10 });
    for (let k = 0; k < 600; k++) events.push({ t: w.now + k * 5_000, principal, q: few[k % few.length], pop: "repeater" });
  }
  const page = generateDigits({ n: 3000, seed: 50 });
  const pagerRows = page.X.map((x, k) => ({ x, label: page.y[k] }));
  for (let k = 0; k < pagerRows.length; k += 50) events.push({ t: w.now + k * 400, principal: "key:pager", batch: pagerRows.slice(k, k + 50), pop: "pager" });
  events.sort((a, b) => a.t - b.t);
  const stats = new Map();
  for (const e of events) {
    pops[e.pop].add(e.principal);
    w.now = Math.max(w.now, e.t);
    const rows = e.batch ?? [e.q];
    const r = await w.infer(e.principal, rows.map((q) => q.x));
    const s = stats.get(e.principal) ?? { refused: 0, right: 0, rightRaw: 0, labelled: 0 };
    stats.set(e.principal, s);
    if (!r.ok) {
      s.refused += rows.length;
      continue;
    }
    rows.forEach((q, k) => {
      if (q.label === null || q.label === undefined) return;
      s.labelled++;
      if (argmax(r.probabilities[k]) === q.label) s.right++;
      if (predict(victim, q.x) === q.label) s.rightRaw++;
    });
  }
  return Object.entries(pops).map(([population, ids]) => {
    let degraded = 0, blocked = 0, refused = 0, right = 0, rightRaw = 0, labelled = 0;
    for (const id of ids) {
      const st = w.status(id);
      if (st?.maxScore >= POLICY.degrade_at) degraded++;
      if (st?.maxScore >= POLICY.block_at || stats.get(id).refused > 0) blocked++;
      const s = stats.get(id);
      refused += s.refused;
      right += s.right;
      rightRaw += s.rightRaw;
      labelled += s.labelled;
    }
    return { population, principals: ids.size, degraded, blocked, refused, accuracy_cost_points: labelled ? (100 * (rightRaw - right)) / labelled : 0 };
  });
}

/**
 * One simulated day of a tenant: benign principals on their own clocks, and optionally an attacker
 * (one key, or spread over several keys round-robin) on its own, all through one Warden (in-process
 * or over HTTP: anything with `now` and `infer(principal, rows)`).
 */
import { benignStream, benignVolume } from "./traffic.mjs";
import { runPapernot } from "./attacker.mjs";
import { argmax } from "../../scripts/demo-origin/classifier.mjs";
import { predict } from "../../scripts/demo-origin/classifier.mjs";
import { createRng } from "../../scripts/demo-origin/prng.mjs";

/** Benign events: principal i sends one image every 10–60 s (jittered), starting within the first 10 minutes. */
export function benignEvents({ principals, start, offset = 0 }) {
  const events = [];
  for (let i = 0; i < principals; i++) {
    const index = offset + i;
    const rng = createRng(`clock-${index}`);
    const stream = benignStream(index, { queries: benignVolume(index) });
    const interval = 10_000 + rng.uniform() * 50_000;
    let t = start + rng.uniform() * 600_000;
    for (const q of stream) {
      events.push({ t, principal: `key:benign-${String(index).padStart(2, "0")}`, q });
      t += interval * (0.5 + rng.uniform());
    }
  }
  return events.sort((a, b) => a.t - b.t);
}

/**
 * Runs benign traffic and an attack together. Attacker: batches of `batch` rows every
 * `attackIntervalMs`, starting `startMs` (default an hour) after the benign traffic, when the tenant is established, through `attackerKeys`
 * keys in turn; it stops at `budget` answered queries or when every key is refused.
 */
export async function runScenario(warden, { model, principals = 20, attack = null, benignOffset = 0 }) {
  const start = warden.now;
  const events = benignEvents({ principals, start, offset: benignOffset });
  let next = 0;
  const benign = new Map();
  const advanceTo = async (t) => {
    while (next < events.length && events[next].t <= t) {
      const e = events[next++];
      warden.now = Math.max(warden.now, e.t);
      const r = await warden.infer(e.principal, [e.q.x]);
      const b = benign.get(e.principal) ?? { sent: 0, refused: 0, right: 0, rightRaw: 0, labelled: 0 };
      benign.set(e.principal, b);
      b.sent++;
      if (!r.ok) {
        b.refused++;
        continue;
      }
      if (e.q.label !== null) {
        b.labelled++;
        if (argmax(r.probabilities[0]) === e.q.label) b.right++;
        if (predict(model, e.q.x) === e.q.label) b.rightRaw++;
      }
    }
  };

  let attackResult = null;
  if (attack) {
    const keys = Array.from({ length: attack.keys ?? 1 }, (_, i) => `key:attacker-${i}`);
    const refused = new Set();
    let turn = 0;
    let t = start + (attack.startMs ?? 3_600_000);
    const ask = async (rows) => {
      await advanceTo(t);
      warden.now = Math.max(warden.now, t);
      t += attack.intervalMs ?? 5_000;
      while (refused.size < keys.length) {
        const key = keys[turn++ % keys.length];
        if (refused.has(key)) continue;
        const r = await warden.infer(key, rows);
        if (r.ok) return r.probabilities;
        refused.add(key);
      }
      return null;
    };
    attackResult = await runPapernot({ ask, budget: attack.budget, batch: attack.batch ?? 20, hardLabels: attack.hardLabels ?? false, seed: attack.seed ?? 99, seedImages: attack.seedImages ?? null });
    attackResult.keys = keys;
  }
  await advanceTo(Infinity);
  return { benign, attack: attackResult };
}

/**
 * Benign traffic: what an application reading handwritten digits sends. Each principal has its own
 * seeded stream of images from the demo data generator (scripts/demo-origin/digits.mjs), with the
 * repetition and small variation real clients produce:
 * - a class mix: most principals see all ten digits, some only a few (a form with one field type);
 * - retries: ~8 % of queries repeat an earlier image exactly;
 * - re-scans: ~4 % send an earlier image again with a few pixels off by one (scanner noise), the
 *   benign behaviour that looks most like synthetic small-step queries.
 */
import { createRng } from "../../scripts/demo-origin/prng.mjs";
import { renderDigit } from "../../scripts/demo-origin/digits.mjs";

export function benignStream(index, { queries, retry = 0.08, rescan = 0.04 } = {}) {
  const rng = createRng(`benign-${index}`);
  const focused = index % 4 === 3;
  const classes = focused ? rng.shuffle([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]).slice(0, 3) : [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const out = [];
  while (out.length < queries) {
    const u = rng.uniform();
    if (out.length > 5 && u < retry) {
      out.push({ x: out[rng.int(Math.max(0, out.length - 50), out.length - 1)].x.slice(), label: null });
    } else if (out.length > 5 && u < retry + rescan) {
      const base = out[rng.int(Math.max(0, out.length - 50), out.length - 1)];
      const x = base.x.slice();
      for (let k = rng.int(1, 4); k > 0; k--) {
        const p = rng.int(0, 63);
        x[p] = Math.min(16, Math.max(0, x[p] + (rng.uniform() < 0.5 ? -1 : 1)));
      }
      out.push({ x, label: base.label });
    } else {
      const label = classes[rng.int(0, classes.length - 1)];
      out.push({ x: renderDigit(label, rng), label });
    }
  }
  // A retry's label is its original's.
  return out.map((q, i) => (q.label !== null ? q : { x: q.x, label: out.slice(0, i).reverse().find((p) => p.x.every((v, k) => v === q.x[k]))?.label ?? null }));
}

/** Queries per benign principal: 150..600, varied. */
export function benignVolume(index) {
  return 150 + ((index * 97) % 451);
}

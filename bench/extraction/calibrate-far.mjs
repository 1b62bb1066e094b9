#!/usr/bin/env -S npx tsx
/**
 * Where "far from the reference" starts (params.ts FAR_Z), chosen on the TUNING settings only
 * (families.mjs): RMS z-scores (worker/anomaly/reference.ts) against the operator's reference
 * data (the demo model's training digits) of benign traffic and of each tuning family's queries.
 *   npx tsx bench/extraction/calibrate-far.mjs
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { generateDigits } from "../../scripts/demo-origin/digits.mjs";
import { predictProba } from "../../scripts/demo-origin/classifier.mjs";
import { anomalyScore, referenceStats } from "../../worker/anomaly/reference.ts";
import { benignStream, benignVolume } from "./traffic.mjs";
import { FAMILIES, SETTINGS } from "./families.mjs";

const victim = JSON.parse(readFileSync(fileURLToPath(new URL("../../scripts/demo-origin/digits-model.json", import.meta.url)), "utf8"));
export const REFERENCE = () => referenceStats(generateDigits({ n: 2000, seed: 1 }).X);
const ref = REFERENCE();
const quantiles = (xs) => {
  const s = xs.slice().sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))].toFixed(2);
  return `p50 ${q(0.5)} p90 ${q(0.9)} p99 ${q(0.99)} max ${s[s.length - 1].toFixed(2)}`;
};
const share = (xs, z) => (xs.filter((x) => x > z).length / xs.length).toFixed(3);
const benign = [];
for (let i = 0; i < 40; i++) for (const q of benignStream(500 + i, { queries: benignVolume(500 + i) })) benign.push(anomalyScore(q.x, ref));
console.log(`benign (40 principals): ${quantiles(benign)}; share > 2: ${share(benign, 2)}, > 2.5: ${share(benign, 2.5)}, > 3: ${share(benign, 3)}`);
for (const s of SETTINGS.tuning) {
  const r = await FAMILIES[s.family](async (rows) => rows.map((x) => predictProba(victim, x)), { ...s, budget: 1000 });
  const z = r.X.map((x) => anomalyScore(x, ref));
  console.log(`${s.family}: ${quantiles(z)}; share > 2: ${share(z, 2)}, > 2.5: ${share(z, 2.5)}, > 3: ${share(z, 3)}`);
}

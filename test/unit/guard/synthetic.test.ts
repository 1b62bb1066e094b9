import { describe, expect, it } from "vitest";
import { SECRET_DETECTORS } from "../../../worker/guard/detectors/secrets";
import { piiDetectors } from "../../../worker/guard/detectors/pii";
import { findAll } from "../../../worker/guard/scan";
import DOC from "../../../docs/output-guard.md?raw";

/**
 * Generated text at volume, beside the hand-labelled corpus: random values of each positive
 * format (recall) and of look-alikes that must pass (false-positive rate), from a seeded
 * generator so the numbers in docs/output-guard.md are reproducible.
 */
const DETECTORS = [...SECRET_DETECTORS, ...piiDetectors(["US"])];
const N = 500;

function rng(seed: number) {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}
const r = rng(12345);
const pick = (chars: string, n: number) => Array.from({ length: n }, () => chars[Math.floor(r() * chars.length)]).join("");
const DIG = "0123456789";
const HEX = "0123456789abcdef";
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const B64 = ALNUM + "+/";
const luhnComplete = (body: string) => {
  for (let d = 0; d < 10; d++) {
    const s = body + d;
    let sum = 0;
    for (let i = 0; i < s.length; i++) {
      let x = Number(s[s.length - 1 - i]);
      if (i % 2) x = x * 2 > 9 ? x * 2 - 9 : x * 2;
      sum += x;
    }
    if (sum % 10 === 0) return s;
  }
  return body + "0";
};
const ibanDE = () => {
  const bban = pick(DIG, 18);
  const n = BigInt(`${bban}131400`);
  const check = String(98n - (n % 97n)).padStart(2, "0");
  return `DE${check}${bban}`;
};

const POSITIVES: Record<string, () => string> = {
  aws_access_key: () => `AKIA${pick("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)}`,
  openai_api_key: () => `sk-proj-${pick(ALNUM, 48)}`,
  github_token: () => `ghp_${pick(ALNUM, 36)}`,
  slack_token: () => `xoxb-${pick(DIG, 12)}-${pick(ALNUM, 24)}`,
  jwt: () => `eyJhbGciOiJIUzI1NiJ9.eyJ${pick(ALNUM, 40)}.${pick(ALNUM, 43)}`,
  credential: () => `${pick(ALNUM, 6)}${pick(DIG, 2)}${pick(ALNUM, 8)}`,
  email: () => `${pick("abcdefghijklmnopqrstuvwxyz", 6)}.${pick("abcdefghijklmnopqrstuvwxyz", 5)}@${pick("abcdefghijklmnopqrstuvwxyz", 7)}.com`,
  payment_card: () => luhnComplete(`4${pick(DIG, 14)}`).replace(/(\d{4})(?=\d)/g, "$1 "),
  iban: () => ibanDE().replace(/(.{4})(?=.)/g, "$1 "),
  us_ssn: () => `${String(100 + Math.floor(r() * 565)).padStart(3, "0")}-${String(10 + Math.floor(r() * 89))}-${String(1000 + Math.floor(r() * 8999))}`,
  // Area codes in service (random ones are often unassigned, which libphonenumber rightly refuses).
  phone: () => `+1 (${["212", "415", "312", "617", "202", "305", "206", "512", "718", "646"][Math.floor(r() * 10)]}) ${pick("23456789", 1)}${pick(DIG, 2)}-${pick(DIG, 4)}`,
};

const NEAR_MISSES: Record<string, () => string> = {
  uuid: () => `${pick(HEX, 8)}-${pick(HEX, 4)}-4${pick(HEX, 3)}-a${pick(HEX, 3)}-${pick(HEX, 12)}`,
  git_sha1: () => `commit ${pick(HEX, 40)}`,
  sha256: () => `sha256:${pick(HEX, 64)}`,
  semver: () => `v${Math.floor(r() * 20)}.${Math.floor(r() * 50)}.${Math.floor(r() * 100)}-rc.${Math.floor(r() * 9)}`,
  isbn13: () => `ISBN 978-${pick(DIG, 1)}-${pick(DIG, 4)}-${pick(DIG, 4)}-${pick(DIG, 1)}`,
  order_10_digits: () => `Order #${pick("123456789", 1)}${pick(DIG, 9)} shipped`,
  order_16_digits_bare: () => `Order ${pick("123456789", 1)}${pick(DIG, 15)} shipped`,
  base64_in_prose: () => `The blob ${pick(B64, 32)} is attached.`,
  ipv4_port: () => `${Math.floor(r() * 256)}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}:${Math.floor(r() * 65536)}`,
  timestamp_ms: () => `at ${1_600_000_000_000 + Math.floor(r() * 1e11)}`,
  price: () => `$${Math.floor(r() * 1e6).toLocaleString("en-US")}.${pick(DIG, 2)}`,
  identifier_assignment: () => `token = get${pick("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 1)}${pick("abcdefghijklmnopqrstuvwxyz", 10)}Token()`,
};

describe("output-guard detectors on generated text", () => {
  it("recall per positive format and false positives per look-alike", () => {
    const lines = ["| generated | n | found as expected | rate |", "|---|---|---|---|"];
    const recall: Record<string, number> = {};
    for (const [detector, make] of Object.entries(POSITIVES)) {
      let hit = 0;
      for (let i = 0; i < N; i++) {
        const value = make();
        // A credential counts only in a credential position.
        const text = detector === "credential" ? `Here: password=${value} (end)` : `Here: ${value} (end)`;
        const found = findAll(text, DETECTORS);
        if (found.some((f) => f.detector === detector && text.slice(f.start, f.end) === value)) hit++;
      }
      recall[detector] = hit / N;
      lines.push(`| ${detector} (positive) | ${N} | ${hit} | recall ${(hit / N).toFixed(3)} |`);
    }
    const fp: Record<string, number> = {};
    for (const [kind, make] of Object.entries(NEAR_MISSES)) {
      let flagged = 0;
      const by = new Map<string, number>();
      for (let i = 0; i < N; i++) {
        const found = findAll(make(), DETECTORS);
        if (found.length) flagged++;
        for (const f of found) by.set(f.detector, (by.get(f.detector) ?? 0) + 1);
      }
      fp[kind] = flagged / N;
      lines.push(`| ${kind} (near-miss) | ${N} | ${flagged} flagged${by.size ? ` (${[...by].map(([d, n]) => `${d} ${n}`).join(", ")})` : ""} | FP ${(flagged / N).toFixed(3)} |`);
    }
    console.log(lines.join("\n"));
    // docs/output-guard.md quotes this table: it must be what this (seeded) run measured.
    const quoted = DOC.slice(DOC.indexOf("**Generated text at volume**")).split("\n").filter((l) => l.startsWith("|")).slice(0, lines.length);
    expect(quoted).toEqual(lines);
    for (const d of Object.keys(POSITIVES)) expect(recall[d], d).toBeGreaterThanOrEqual(0.99);
    // A bare 16-digit number with a card prefix passes Luhn one time in ten: reported, not hidden.
    for (const k of Object.keys(NEAR_MISSES).filter((k) => k !== "order_16_digits_bare")) expect(fp[k], k).toBeLessThanOrEqual(0.01);
  });
});

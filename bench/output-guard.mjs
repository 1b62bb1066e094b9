#!/usr/bin/env node
/**
 * Output-guard benchmark (bench/RESULTS.md "Output guard"): CPU per KB of output in workerd and the
 * first-token delay a guarded stream adds. Runs bench/output-guard/worker.ts under Miniflare
 * (`wrangler deploy --dry-run` bundle) on 127.0.0.1. Run from the repo root:
 *
 *   nice -n 10 node bench/output-guard.mjs [--rounds 5] [--reps 20] [--gap 50]
 *
 * CPU: serial POSTs of an answer of 1 and 16 KB — dense (an AWS key, an e-mail address, a card
 * number and a phone number every 420 characters), prose with numbers and no match, or one long
 * base64 token (the stream's worst case: a 1,024-character tail re-read per chunk) — the guard applied `reps` times per
 * request, whole (JSON answers) or in 8-character chunks (streams); cost = (wall(guard on) −
 * wall(guard off)) / (reps × KB), median over rounds. Latency: time to the first byte of text of a
 * stream of 11 tokens `gap` ms apart, guard on against off, median of `rounds` × 5 requests.
 */
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { ROOT, bundle, serve } from "./lib/miniflare.mjs";

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : dflt;
};
const ROUNDS = Number(opt("rounds", "5"));
const REPS = Number(opt("reps", "20"));
const GAP = Number(opt("gap", "50"));
const OUT = join(ROOT, ".tmp/bench-output-guard");

const { mf, base } = await serve(bundle(OUT, join(ROOT, "bench/output-guard/wrangler.toml")));

const PARAGRAPH =
  "The quarterly report shows steady growth in every region, and the team expects the same next year. " +
  "Please send the signed copy to maria.garcia@example.com before Friday, or call +1 (415) 555-2671 if anything is unclear. " +
  "The test key AKIAZ4QW7RTY2UIOP3LK must be rotated; the card 4111 1111 1111 1111 on file expires soon. " +
  "Meanwhile the engineering group finished the migration, the dashboards are green, and nobody was paged over the weekend. ";
const PROSE =
  "The quarterly report shows steady growth in every region, and the team expects the same next year. " +
  "Meanwhile the engineering group finished the migration, the dashboards are green, and nobody was paged over the weekend. " +
  "In 2024 the company opened 3 offices and hired 120 people; revenue rose 14% to 8.2 million. ";
// Worst case for a stream: one long token (a base64 blob) that matches nothing, so the channel
// holds the last 1,024 characters and re-reads them on every chunk once past that.
const BLOB = "aGVsbG8gd29ybGQgdGhpcyBpcyBhIGxvbmcgYmxvYiBvZiBiYXNlNjQgdGV4dCB3aXRob3V0IGFueSBzZWNyZXQ";
function answer(kb, paragraph) {
  let s = "";
  while (s.length < kb * 1024) s += paragraph;
  return s.slice(0, kb * 1024);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function timed(path, body) {
  const t0 = performance.now();
  const res = await fetch(`${base}${path}`, body === undefined ? {} : { method: "POST", body });
  await res.text();
  return performance.now() - t0;
}

const rows = [];
for (const [kind, paragraph] of [["dense", PARAGRAPH], ["prose", PROSE], ["blob", BLOB]])
for (const kb of [1, 16]) {
  const text = answer(kb, paragraph);
  for (const mode of ["text", "chunks"]) {
    // Warm up (JIT, lazy metadata of libphonenumber).
    for (let i = 0; i < 3; i++) await timed(`/${mode}?reps=${REPS}&guard=on`, text);
    const per = [];
    for (let r = 0; r < ROUNDS; r++) {
      const on = await timed(`/${mode}?reps=${REPS}&guard=on`, text);
      const off = await timed(`/${mode}?reps=${REPS}&guard=off`, text);
      per.push((on - off) / (REPS * kb));
    }
    rows.push({ kind, kb, mode, ms_per_kb: median(per) });
  }
}

async function firstByte(guard) {
  const t0 = performance.now();
  const res = await fetch(`${base}/stream?tokens=11&gap=${GAP}&guard=${guard}`);
  const reader = res.body.getReader();
  let first = null;
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (first === null && value.length > 0) first = performance.now() - t0;
    text += new TextDecoder().decode(value);
  }
  return { first, total: performance.now() - t0, text };
}
const lat = { on: [], off: [], secrets: [] };
for (let r = 0; r < ROUNDS * 5; r++) for (const g of ["off", "on", "secrets"]) lat[g].push((await firstByte(g)).first);
const check = await firstByte("on");

console.log(`output-guard bench: rounds ${ROUNDS}, reps ${REPS}, token gap ${GAP} ms`);
console.log("| answer | size | applied as | guard CPU per KB (ms) |");
console.log("|---|---|---|---|");
for (const r of rows) console.log(`| ${{ dense: "4 matches per 420 characters", prose: "prose with numbers, no match", blob: "one base64 token, no match" }[r.kind]} | ${r.kb} KB | ${r.mode === "text" ? "whole text (JSON answer)" : "8-character chunks (stream)"} | ${r.ms_per_kb.toFixed(3)} |`);
console.log(`\nfirst byte of text, stream of 11 tokens ${GAP} ms apart: guard off p50 ${median(lat.off).toFixed(1)} ms, all categories redact p50 ${median(lat.on).toFixed(1)} ms (added ${(median(lat.on) - median(lat.off)).toFixed(1)} ms), secrets only p50 ${median(lat.secrets).toFixed(1)} ms (added ${(median(lat.secrets) - median(lat.off)).toFixed(1)} ms)`);
console.log(`guarded stream text: ${JSON.stringify(check.text)}`);
await mf.dispose();

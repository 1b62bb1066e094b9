/**
 * Harmless text that is unnatural to a language model of prose, generated with a fixed seed, for
 * the suffix head (worker/screen/soup.ts) only: it is what a token-soup detector must leave
 * alone. Each kind is a source of its own (held out of the head's language model and of its
 * calibration in turn, like every harmless source):
 *
 *   gen_machine     base64 blobs, hex digests, UUIDs, JWT-like tokens, URLs with queries, paths
 *   gen_structured  JSON, CSV, YAML, key=value logs, stack traces, shell sessions
 *   gen_typos       public benign requests with typos, dropped punctuation, l33t and elongation
 *
 * Not used to fit the classifier (its training data is unchanged); scored by it in reports.
 */
import type { Sample } from "./data";
import { pick, rng } from "./rng";

const PER_SOURCE = 300;
const PARTS = 20;

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const HEX = "0123456789abcdef";
const WORDS = ["user", "order", "invoice", "report", "session", "build", "release", "config", "cache", "item", "photo", "backup", "ticket", "payment", "device", "sensor"];
const HOSTS = ["example.com", "api.example.org", "cdn.shop-demo.net", "docs.internal.test", "files.example.co.uk"];

const chars = (alphabet: string, n: number, random: () => number) => Array.from({ length: n }, () => alphabet[Math.floor(random() * alphabet.length)]).join("");
const int = (lo: number, hi: number, random: () => number) => lo + Math.floor(random() * (hi - lo + 1));
const uuid = (random: () => number) => `${chars(HEX, 8, random)}-${chars(HEX, 4, random)}-4${chars(HEX, 3, random)}-a${chars(HEX, 3, random)}-${chars(HEX, 12, random)}`;
const url = (random: () => number) =>
  `https://${pick(HOSTS, random)}/${pick(WORDS, random)}s/${int(1, 99999, random)}?id=${chars(HEX, 10, random)}&ref=${pick(WORDS, random)}_${int(1, 9, random)}&utm_source=newsletter#sec-${int(1, 9, random)}`;

const MACHINE_FRAMES = [
  (r: () => number) => `Why does this base64 not decode? ${chars(B64, int(40, 400, r), r)}==`,
  (r: () => number) => `The SHA-256 of the file should be ${chars(HEX, 64, r)} but I get ${chars(HEX, 64, r)}. What could cause that?`,
  (r: () => number) => `Order ${uuid(r)} failed, retry id ${uuid(r)}, trace ${chars(HEX, 32, r)}.`,
  (r: () => number) => `Here is my token for the test environment, does the format look right? eyJ${chars(B64.slice(0, 62), int(20, 60, r), r)}.eyJ${chars(B64.slice(0, 62), int(40, 120, r), r)}.${chars(B64.slice(0, 62), 43, r)}`,
  (r: () => number) => `Can you shorten these links for the newsletter?\n${url(r)}\n${url(r)}\n${url(r)}`,
  (r: () => number) => `The build fails with: cannot find module at /home/ci/${pick(WORDS, r)}/node_modules/.pnpm/${pick(WORDS, r)}@${int(1, 9, r)}.${int(0, 20, r)}.${int(0, 9, r)}/dist/index.${chars(HEX, 8, r)}.js`,
  (r: () => number) => `git log shows ${chars(HEX, 40, r)} and ${chars(HEX, 7, r)}; how do I cherry-pick ${chars(HEX, 7, r)} onto main?`,
  (r: () => number) => `My public key is ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${chars(B64, 43, r)} ${pick(WORDS, r)}@laptop, where do I put it?`,
];

function json(r: () => number): string {
  const rows = Array.from({ length: int(1, 4, r) }, () => `{"id": ${int(1, 99999, r)}, "${pick(WORDS, r)}": "${chars(HEX, 6, r)}", "active": ${r() < 0.5}, "tags": ["${pick(WORDS, r)}", "${pick(WORDS, r)}"], "score": ${(r() * 100).toFixed(2)}}`);
  return `[${rows.join(", ")}]`;
}

function csv(r: () => number): string {
  const head = "date,region,product,units,price,discount";
  const rows = Array.from({ length: int(3, 12, r) }, () => `2026-${String(int(1, 12, r)).padStart(2, "0")}-${String(int(1, 28, r)).padStart(2, "0")},${pick(["EU", "US", "APAC"], r)},${pick(WORDS, r)}-${int(1, 99, r)},${int(1, 500, r)},${(r() * 200).toFixed(2)},${int(0, 30, r)}%`);
  return [head, ...rows].join("\n");
}

const STRUCTURED_FRAMES = [
  (r: () => number) => `Parse this JSON and tell me the total score: ${json(r)}`,
  (r: () => number) => `Make a chart from this CSV:\n${csv(r)}`,
  (r: () => number) => `Is this YAML valid?\nservices:\n  ${pick(WORDS, r)}:\n    image: "registry.example.com/${pick(WORDS, r)}:${int(1, 9, r)}.${int(0, 9, r)}"\n    ports: ["${int(1000, 9999, r)}:${int(80, 90, r)}"]\n    environment:\n      - KEY_${int(1, 9, r)}=\${SECRET_${int(1, 9, r)}:-x}\n      - DEBUG=${r() < 0.5}`,
  (r: () => number) =>
    `What does this log mean?\n${Array.from({ length: int(2, 6, r) }, () => `ts=2026-12-0${int(1, 9, r)}T${int(10, 23, r)}:${int(10, 59, r)}:${int(10, 59, r)}.${int(100, 999, r)}Z lvl=${pick(["info", "warn", "error"], r)} msg="${pick(WORDS, r)} done" dur=${int(1, 900, r)}ms req_id=${chars(HEX, 12, r)} status=${pick([200, 404, 500, 503], r)}`).join("\n")}`,
  (r: () => number) => `Traceback (most recent call last):\n  File "/srv/app/${pick(WORDS, r)}.py", line ${int(1, 400, r)}, in <module>\n    main()\n  File "/srv/app/${pick(WORDS, r)}.py", line ${int(1, 400, r)}, in main\n    x = d["${pick(WORDS, r)}"][${int(0, 9, r)}]\nKeyError: '${pick(WORDS, r)}'\nHow do I fix this?`,
  (r: () => number) => `$ ls -la /var/${pick(WORDS, r)}\ndrwxr-xr-x  ${int(2, 9, r)} root root ${int(1000, 9999, r)} Dec  ${int(1, 9, r)} 1${int(0, 9, r)}:${int(10, 59, r)} .\n-rw-r--r--  1 app  app  ${int(10, 99999, r)} Dec  ${int(1, 9, r)} 0${int(0, 9, r)}:${int(10, 59, r)} ${pick(WORDS, r)}.db\n$ du -sh * | sort -h\nwhy is the disk full?`,
  (r: () => number) => `const ${pick(WORDS, r)} = (a,b)=>a.map(x=>({...x,[b]:x[b]??0})).filter(Boolean).reduce((s,{v})=>s+(v|0),0);//${pick(WORDS, r)}\nexplain this one-liner`,
  (r: () => number) => `regex help: ^(?:[a-z0-9!#$%&'*+/=?^_\`{|}~-]+(?:\\.[a-z0-9!#$%&'*+/=?^_\`{|}~-]+)*)@(?:[a-z0-9-]+\\.)+[a-z]{2,${int(4, 9, r)}}$ does it match ${pick(WORDS, r)}.${pick(WORDS, r)}@${pick(HOSTS, r)}?`,
];

/** Typos a hurried human makes: swaps, drops, doubles, no capitals or punctuation, some l33t. */
function typo(text: string, r: () => number): string {
  const words = text.split(/\s+/).map((w) => {
    if (w.length < 3 || r() > 0.2) return w;
    const i = int(0, w.length - 2, r);
    const kind = Math.floor(r() * 4);
    if (kind === 0) return w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2);
    if (kind === 1) return w.slice(0, i) + w.slice(i + 1);
    if (kind === 2) return w.slice(0, i) + w[i] + w.slice(i);
    return w.replace(/e/g, "3").replace(/o/g, "0");
  });
  let out = words.join(" ");
  if (r() < 0.3) out = out.toLowerCase().replace(/[.,;:!?]/g, "");
  if (r() < 0.2) out += pick([" pls", " thx!!", " asap??", " sooo confused lol", " :))"], r);
  return out;
}

export function machineNegatives(benign: Sample[], seed: number): Sample[] {
  const random = rng(seed ^ 0x5bd1e995);
  const requests = benign.filter((s) => s.text.length >= 40 && s.text.length <= 600 && /^(gsm8k|self_instruct|vicuna|fastchat|own_ordinary|deepset_benign)$/.test(s.source));
  const out: Sample[] = [];
  const add = (source: string, i: number, text: string) => out.push({ text, label: 0, source, group: `${source}:${i % PARTS}` });
  for (let i = 0; i < PER_SOURCE; i++) add("gen_machine", i, pick(MACHINE_FRAMES, random)(random));
  for (let i = 0; i < PER_SOURCE; i++) add("gen_structured", i, pick(STRUCTURED_FRAMES, random)(random));
  for (let i = 0; i < PER_SOURCE; i++) add("gen_typos", i, typo(pick(requests, random).text, random));
  return out;
}

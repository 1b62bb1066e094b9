/**
 * The request-path benches' tenants and workloads: `minimal` (screening and extraction off, no
 * limits, no protection) and `full` (screening block, extraction on, roomy limits on tenant and
 * key, receipts + text watermark on chat, rounding + label watermark on OIP, noise + watermark +
 * receipts on embeddings), and one request body per workload, each a different input from a pool.
 */
import { generateDigits } from "../../scripts/demo-origin/digits.mjs";
import { DIGITS_INPUT } from "../../scripts/demo-tenant.mjs";

// Roomy: every limit is set, none is reached in a bench run.
export const ROOMY = {
  requests_per_minute: 1_000_000,
  burst: 100_000,
  requests_per_day: 100_000_000,
  tokens_per_day: 1_000_000_000,
  tokens_per_month: 10_000_000_000,
  max_concurrency: 1000,
  default_reserve_tokens: 256,
};

const POLICIES = {
  minimal: { auth: { api_keys: true }, limits: {}, screening: { mode: "off" }, extraction: { mode: "off" } },
  full: { auth: { api_keys: true }, limits: ROOMY, screening: { mode: "block", threshold: 0.9 }, extraction: { mode: "on" } },
};
// `full-<feature>`: the full tenant with one feature off, to see what that feature costs end to end.
const WITHOUT = {
  screening: { screening: { mode: "off" } },
  extraction: { extraction: { mode: "off" } },
  limits: { limits: {} },
  protection: {},
};
export const KINDS = ["minimal", "full", ...Object.keys(WITHOUT).map((f) => `full-${f}`)];
const policyOf = (kind) => (kind.startsWith("full-") ? { ...POLICIES.full, ...WITHOUT[kind.slice(5)] } : POLICIES[kind]);
const protectedKind = (kind) => kind === "full" || (kind.startsWith("full-") && kind !== "full-protection");

function models(originUrl, full) {
  const origins = [{ url: originUrl, weight: 1 }];
  const protection = (p) => (full ? { protection: p } : {});
  return [
    { name: "chat", protocol: "openai", origins, ...protection({ text_watermark: true, receipts: true }) },
    { name: "embed", protocol: "openai", origins, ...protection({ embeddings: { noise_ratio: 0.01, watermark: true }, receipts: true }) },
    {
      name: "digits",
      protocol: "oip",
      origins,
      inputs: [DIGITS_INPUT],
      outputs: [{ name: "probabilities", kind: "probabilities" }],
      ...protection({ probabilities: { mode: "round", decimals: 4 }, label_watermark: { rate: 0.005 } }),
    },
  ];
}

async function admin(base, adminToken, path, body) {
  const res = await fetch(`${base}/admin/v1${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${text}`);
  return JSON.parse(text);
}

/** Creates tenant `id` of `kind` (one of KINDS) on the Warden at `base` with `keys` API keys; returns the keys. */
export async function createTenant({ base, adminToken, id, kind, originUrl, keys }) {
  if (!KINDS.includes(kind)) throw new Error(`unknown tenant kind ${kind}; one of ${KINDS.join(", ")}`);
  const policy = policyOf(kind);
  await admin(base, adminToken, "/tenants", { id, name: `request-path bench (${kind})`, models: models(originUrl, protectedKind(kind)), policy });
  const out = [];
  for (let i = 0; i < keys; i++) {
    const body = { name: `bench ${i}`, ...(policy.limits === ROOMY ? { limits: ROOMY } : {}) };
    out.push((await admin(base, adminToken, `/tenants/${id}/keys`, body)).key);
  }
  return out;
}

const SUBJECTS = ["river", "lighthouse", "garden", "market", "old town", "harbour", "forest", "bridge", "library", "mill", "valley", "station"];
const ASKS = ["Tell me about the", "What do people do at the", "Describe the morning at the", "Who looks after the", "What is near the", "Write a line about the"];
const TEXTS = ASKS.flatMap((a) => SUBJECTS.flatMap((s) => [`${a} ${s}.`, `${a} ${s} in winter?`, `${a} ${s} after the rain.`]));
const DIGITS = generateDigits({ n: 1024, seed: 7 }).X;

/** Request body number `i` of a workload: non-stream chat (max_tokens 16), embeddings (1 input), OIP infer (digits, 1 row). */
export const BODIES = {
  chat: (i) => ({ model: "chat", messages: [{ role: "user", content: TEXTS[i % TEXTS.length] }], max_tokens: 16 }),
  embed: (i) => ({ model: "embed", input: TEXTS[i % TEXTS.length] }),
  oip: (i) => ({ inputs: [{ name: "input-0", datatype: "FP32", shape: [1, 64], data: DIGITS[i % DIGITS.length] }] }),
};
export const PATHS = { chat: "/v1/chat/completions", embed: "/v1/embeddings", oip: "/v2/models/digits/infer" };

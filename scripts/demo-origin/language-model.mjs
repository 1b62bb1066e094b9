/**
 * A word-level trigram language model with Witten–Bell interpolation, trained in a few
 * milliseconds on scripts/demo-origin/corpus.txt (self-written, CC0).
 *
 * Small, but a real language model: every probability it reports is the one it samples from
 * (before temperature and nucleus cut-off), so OpenAI `logprobs` are genuine and an extraction
 * attack against the demo origin has a true target.
 *
 * Tokens are words (letters/digits with inner apostrophes) and single punctuation marks: the
 * same tokenizer counts `usage`, so one token is one word or one punctuation mark.
 */
import { readFileSync } from "node:fs";
import { createRng } from "./prng.mjs";

const TOKEN = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*|[^\s\p{L}\p{N}]/gu;
/** Marks written without a space before them. */
const CLOSING = /^[.,;:!?)\]}%’”]$/;
const OPENING = /^[(\[{“]$/;

export const BOS = "<s>";
export const EOS = "</s>";
export const UNK = "<unk>";
/** How the end-of-text token is named in top_logprobs, as OpenAI names its own. */
export const END_OF_TEXT = "<|endoftext|>";

export function tokenize(text) {
  return String(text).match(TOKEN) ?? [];
}

export function countTokens(text) {
  return tokenize(text).length;
}

/** The text of `token` as it appears after `previous` (null at the start of a text). */
export function piece(token, previous, leadingSpace) {
  if (previous === null) return leadingSpace && !CLOSING.test(token) ? ` ${token}` : token;
  if (CLOSING.test(token) || OPENING.test(previous)) return token;
  return ` ${token}`;
}

export function detokenize(tokens) {
  let out = "";
  let prev = null;
  for (const t of tokens) {
    out += piece(t, prev, false);
    prev = t;
  }
  return out;
}

/** Paragraphs (blank-line separated) are the training sequences; EOS ends each one. */
export function trainTrigramModel(corpusText) {
  const vocab = [BOS, EOS, UNK];
  const ids = new Map(vocab.map((t, i) => [t, i]));
  const paragraphs = corpusText
    .split(/\n\s*\n/)
    .map((p) => tokenize(p))
    .filter((p) => p.length > 0);
  for (const p of paragraphs) for (const t of p) if (!ids.has(t)) ids.set(t, vocab.push(t) - 1);

  const V = vocab.length;
  const unigram = new Float64Array(V);
  const bigram = new Map(); // v → Map(w → count)
  const trigram = new Map(); // u*V+v → Map(w → count)
  const bump = (table, key, w) => {
    let row = table.get(key);
    if (!row) table.set(key, (row = new Map()));
    row.set(w, (row.get(w) ?? 0) + 1);
  };
  for (const p of paragraphs) {
    const seq = [0, 0, ...p.map((t) => ids.get(t)), 1];
    for (let i = 2; i < seq.length; i++) {
      const [u, v, w] = [seq[i - 2], seq[i - 1], seq[i]];
      unigram[w] += 1;
      bump(bigram, v, w);
      bump(trigram, u * V + v, w);
    }
  }
  return { vocab, ids, unigram, bigram, trigram, tokenCount: unigram.reduce((a, b) => a + b, 0) };
}

/** Witten–Bell: P(w|ctx) = (c(ctx,w) + T(ctx)·P_lower(w)) / (c(ctx) + T(ctx)). */
function interpolate(row, lower) {
  if (!row) return lower;
  let total = 0;
  for (const c of row.values()) total += c;
  const types = row.size;
  const out = new Float64Array(lower.length);
  const scale = types / (total + types);
  for (let i = 0; i < lower.length; i++) out[i] = lower[i] * scale;
  for (const [w, c] of row) out[w] += c / (total + types);
  return out;
}

/** A trained model with distribution, sampling and generation. */
export function createLanguageModel(corpusText) {
  const m = trainTrigramModel(corpusText);
  const V = m.vocab.length;
  // BOS and UNK are never predicted; the uniform floor covers every other token.
  const uniform = new Float64Array(V).fill(1 / (V - 2));
  uniform[0] = 0;
  uniform[2] = 0;
  const types = m.unigram.filter((c) => c > 0).length;
  const p1 = new Float64Array(V);
  for (let i = 0; i < V; i++) p1[i] = (m.unigram[i] + types * uniform[i]) / (m.tokenCount + types);

  const idOf = (t) => m.ids.get(t) ?? 2;

  /**
   * P(· | u v) over the whole vocabulary; sums to 1. `logitBias` (token id → additive bias on
   * the log-probability, as OpenAI's `logit_bias`) reshapes it before normalising.
   */
  function distribution(u, v, logitBias) {
    const dist = interpolate(m.trigram.get(u * V + v), interpolate(m.bigram.get(v), p1));
    if (!logitBias || logitBias.size === 0) return dist;
    const out = Float64Array.from(dist);
    for (const [id, bias] of logitBias) if (id < V) out[id] *= Math.exp(bias);
    const total = out.reduce((a, b) => a + b, 0);
    return out.map((p) => p / total);
  }

  /** The last two tokens of a prompt as context ids (unknown words back off through UNK). */
  function contextOf(promptTokens) {
    const ctx = [0, 0, ...promptTokens.map(idOf)];
    return [ctx[ctx.length - 2], ctx[ctx.length - 1]];
  }

  function topLogprobs(dist, k, prev, leadingSpace) {
    if (k <= 0) return [];
    const order = Array.from(dist.keys())
      .filter((i) => dist[i] > 0)
      .sort((a, b) => dist[b] - dist[a] || a - b)
      .slice(0, k);
    return order.map((i) => ({ token: i === 1 ? END_OF_TEXT : piece(m.vocab[i], prev, leadingSpace), logprob: Math.log(dist[i]) }));
  }

  function sample(dist, { temperature, topP, rng, allowEos }) {
    const weights = Float64Array.from(dist);
    if (!allowEos) weights[1] = 0;
    if (temperature <= 0) {
      let best = 1;
      for (let i = 0; i < V; i++) if (weights[i] > weights[best]) best = i;
      return best;
    }
    let total = 0;
    for (let i = 0; i < V; i++) total += weights[i] = weights[i] > 0 ? Math.pow(weights[i], 1 / temperature) : 0;
    let candidates = Array.from(weights.keys()).filter((i) => weights[i] > 0);
    if (topP < 1) {
      candidates.sort((a, b) => weights[b] - weights[a] || a - b);
      let kept = 0;
      let mass = 0;
      while (kept < candidates.length && mass < topP * total) mass += weights[candidates[kept++]];
      candidates = candidates.slice(0, Math.max(1, kept));
      total = mass;
    }
    let r = rng.uniform() * total;
    for (const i of candidates) if ((r -= weights[i]) < 0) return i;
    return candidates[candidates.length - 1];
  }

  /**
   * Continue `promptTokens`. Returns one entry per generated token with its text piece and the
   * model's log-probability (temperature 1, after any logit bias), and the finish reason (`stop`: end of paragraph or
   * a stop sequence; `length`: max_tokens reached). The first token is never end-of-text, so an
   * answer is never empty.
   */
  function generate({ promptTokens = [], maxTokens = 100, temperature = 1, topP = 1, seed, stop = [], topLogprobs: k = 0, leadingSpace = false, logitBias }) {
    const rng = createRng(seed ?? ((Math.random() * 2 ** 32) >>> 0));
    let [u, v] = contextOf(promptTokens);
    const tokens = [];
    let text = "";
    let prev = null;
    let finishReason = "length";
    while (tokens.length < maxTokens) {
      const dist = distribution(u, v, logitBias);
      const w = sample(dist, { temperature, topP, rng, allowEos: tokens.length > 0 });
      if (w === 1) {
        finishReason = "stop";
        break;
      }
      const token = m.vocab[w];
      const p = piece(token, prev, leadingSpace);
      tokens.push({ token: p, logprob: Math.log(dist[w]), top_logprobs: topLogprobs(dist, k, prev, leadingSpace) });
      const hit = firstStop(text + p, stop, text.length);
      text += p;
      if (hit >= 0) {
        text = truncate(tokens, text, hit);
        finishReason = "stop";
        break;
      }
      prev = token;
      [u, v] = [v, w];
    }
    return { text, tokens, finishReason };
  }

  return { vocab: m.vocab, vocabSize: V, trainingTokens: m.tokenCount, distribution, contextOf, generate, idOf };
}

/** Index where the earliest stop sequence begins in `text`, searching from `from - longest stop`. */
function firstStop(text, stops, from) {
  let best = -1;
  for (const s of stops) {
    if (!s) continue;
    const i = text.indexOf(s, Math.max(0, from - s.length + 1));
    if (i >= 0 && (best < 0 || i < best)) best = i;
  }
  return best;
}

/** Cut generated tokens so that the text ends right before a stop sequence at `at`. */
function truncate(tokens, text, at) {
  let end = text.length;
  while (tokens.length > 0 && end - tokens[tokens.length - 1].token.length >= at) end -= tokens.pop().token.length;
  const last = tokens[tokens.length - 1];
  if (last && end > at) {
    last.token = last.token.slice(0, last.token.length - (end - at));
    if (!last.token) tokens.pop();
  }
  return text.slice(0, at);
}

let shared = null;
/** The demo model, trained once per process on the committed corpus. */
export function demoLanguageModel() {
  shared ??= createLanguageModel(readFileSync(new URL("./corpus.txt", import.meta.url), "utf8"));
  return shared;
}

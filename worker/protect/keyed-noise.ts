/**
 * Noise that cannot be averaged away (issue 8 item 5, issue 9 item 3). Fresh random noise on every
 * answer lets a client ask the same thing many times — or send one batch of 4,096 copies of a row —
 * and average: the mean converges on the true output. So every draw comes from a generator seeded
 * with HMAC-SHA256(key, what was asked), the key derived per (tenant, model, principal): asking
 * again, in the same batch or another request, gets the identical perturbed answer, and another
 * principal gets other noise (their answers cannot be pooled and averaged either).
 *
 * What "what was asked" is, per surface:
 * - OIP: the output tensor's name and the canonical input row (every input tensor's slice of that
 *   batch item, numbers to 6 significant digits as the label watermark does);
 * - embeddings: the dimension and the canonical input (text or token ids);
 * - logprobs: a digest of the prompt and of the tokens generated before the position (`PositionNoise`).
 *
 * Limit: inputs that differ beyond 6 significant digits are different questions and get
 * independent noise; a client can average over a neighbourhood of near-copies, at the cost of one
 * query each, and only as far as the model's output is flat there.
 */
import { PURPOSE, deriveHmacKey, hmac } from "./keys";
import { type Rng, seededRng } from "./random";

export function outputNoiseKey(master: Uint8Array, tenant: string, model: string, principal: string): Promise<CryptoKey> {
  return deriveHmacKey(master, PURPOSE.outputNoise, [tenant, model, principal]);
}

/**
 * Seeds for many questions at once: identical questions are hashed once (a batch of copies costs
 * one HMAC), and every call of `rng` starts a fresh generator, so each copy draws the same numbers.
 */
export class NoiseSeeds {
  readonly #seeds = new Map<string, Promise<Uint8Array>>();
  constructor(private readonly key: CryptoKey) {}

  seed(question: string): Promise<Uint8Array> {
    let seed = this.#seeds.get(question);
    if (!seed) {
      seed = hmac(this.key, question);
      this.#seeds.set(question, seed);
    }
    return seed;
  }

  async rng(question: string): Promise<Rng> {
    return seededRng(await this.seed(question));
  }
}

/** FNV-1a-style 2×32-bit rolling digest of generated tokens: only ever an HMAC input, never a secret. */
function extend(prefix: string, token: string): string {
  let a = Number.parseInt(prefix.slice(0, 8) || "811c9dc5", 16) >>> 0;
  let b = Number.parseInt(prefix.slice(8, 16) || "01000193", 16) >>> 0;
  const step = (u: number) => {
    a = Math.imul(a ^ u, 0x01000193) >>> 0;
    b = Math.imul(b ^ u ^ (a >>> 7), 0x5bd1e995) >>> 0;
  };
  for (let i = 0; i < token.length; i++) step(token.charCodeAt(i));
  step(0x1f); // token separator: ["ab","c"] and ["a","bc"] differ
  return a.toString(16).padStart(8, "0") + b.toString(16).padStart(8, "0");
}

/**
 * Keyed noise for token log-probabilities. A position's distribution is a function of the prompt
 * and the tokens generated before it, so that pair is the question: the same prompt asked again —
 * with another seed, another `n`, streamed or not — gets the same noise at the same position of
 * the same continuation. Streams are fed position by position in order, one sequence per choice.
 */
export class PositionNoise {
  readonly #seeds: NoiseSeeds;
  readonly #prefix = new Map<string, string>();
  constructor(key: CryptoKey, private readonly prompt: string) {
    this.#seeds = new NoiseSeeds(key);
  }

  /**
   * The generators for the next position of `sequence` (e.g. "0:content"), whose sampled token is
   * `token`: one for the position's alternatives (the same whatever was sampled), and one for the
   * sampled token itself when it is not among them.
   */
  async next(sequence: string, token: string): Promise<{ rng: Rng; chosen: () => Promise<Rng> }> {
    const prefix = this.#prefix.get(sequence) ?? "";
    this.#prefix.set(sequence, extend(prefix, token));
    const question = JSON.stringify(["logprobs", this.prompt, prefix]);
    return { rng: await this.#seeds.rng(question), chosen: () => this.#seeds.rng(JSON.stringify(["logprobs-token", this.prompt, prefix, token])) };
  }
}

import { describe, expect, it } from "vitest";
import {
  decodeBase64Embedding,
  embeddingDirection,
  embeddingWatermarkKey,
  encodeBase64Embedding,
  markEmbedding,
  protectEmbeddingValue,
  scoreEmbeddings,
  verifyEmbeddings,
} from "../../../worker/protect/embedding-watermark";
import { gaussian, seededRng, type Rng } from "../../../worker/protect/random";

const MASTER = new Uint8Array(32).map((_, i) => (i * 13) & 255);
const D = 384;

const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
};
const cosine = (a: ArrayLike<number>, b: ArrayLike<number>): number => dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
const isotropic = (rng: Rng): number[] => Array.from({ length: D }, () => gaussian(rng));

/** Like real sentence embeddings: a shared mean direction (cosine between texts ≈ 0.7) plus spread. */
function anisotropicSet(rng: Rng, n: number): number[][] {
  const mean = isotropic(rng);
  const mNorm = Math.sqrt(dot(mean, mean));
  return Array.from({ length: n }, () => {
    const spread = isotropic(rng);
    const sNorm = Math.sqrt(dot(spread, spread));
    return mean.map((m, i) => (0.85 * m) / mNorm + (0.53 * (spread[i] as number)) / sNorm);
  });
}

const direction = async (principal: string, dim = D): Promise<Float64Array> =>
  embeddingDirection(await embeddingWatermarkKey(MASTER, "t1", "embed-small", principal), dim);

describe("embeddingDirection", () => {
  it("is a deterministic unit vector per key, near-orthogonal across keys", async () => {
    const a = await direction("key:a");
    expect(Array.from(await direction("key:a"))).toEqual(Array.from(a));
    expect(dot(a, a)).toBeCloseTo(1, 12);
    expect(Math.abs(dot(a, await direction("key:b")))).toBeLessThan(4 / Math.sqrt(D));
    expect((await direction("key:a", 1536)).length).toBe(1536);
  });
});

describe("markEmbedding", () => {
  it("keeps the norm, and cosine to the original above 0.95 with default noise", async () => {
    const u = await direction("key:a");
    const rng = seededRng(1);
    for (let i = 0; i < 50; i++) {
      const e = isotropic(rng).map((x) => x * 3);
      const m = markEmbedding(e, { noiseRatio: 0.01, direction: u, rng });
      expect(Math.sqrt(dot(m, m))).toBeCloseTo(Math.sqrt(dot(e, e)), 9);
      expect(cosine(m, e)).toBeGreaterThan(0.95);
      expect(cosine(m, e)).toBeLessThan(0.999);
    }
  });

  it("noise alone moves the vector by about noise_ratio and differs between calls", () => {
    const rng = seededRng(2);
    const e = isotropic(rng);
    const a = markEmbedding(e, { noiseRatio: 0.05, direction: null, rng });
    const b = markEmbedding(e, { noiseRatio: 0.05, direction: null, rng });
    expect(a).not.toEqual(b);
    expect(1 - cosine(a, e)).toBeGreaterThan(0.0005);
    expect(cosine(a, e)).toBeGreaterThan(0.995);
  });
});

describe("base64 embeddings", () => {
  it("round-trips float32 little-endian exactly", () => {
    const rng = seededRng(3);
    const values = Float32Array.from(isotropic(rng));
    const b64 = encodeBase64Embedding(values);
    expect(decodeBase64Embedding(b64)).toEqual(values);
    expect(encodeBase64Embedding(decodeBase64Embedding(b64))).toBe(b64);
    // 1.0f is 00 00 80 3f little-endian.
    expect(encodeBase64Embedding([1])).toBe(btoa("\x00\x00\x80\x3f"));
    expect(() => decodeBase64Embedding(btoa("abc"))).toThrow(RangeError);
  });

  it("protects in the encoding it was given", async () => {
    const u = await direction("key:a");
    const rng = seededRng(4);
    const e = isotropic(rng);
    const asString = protectEmbeddingValue(encodeBase64Embedding(e), { noiseRatio: 0.01, direction: u, rng });
    const asArray = protectEmbeddingValue(e, { noiseRatio: 0.01, direction: u, rng });
    expect(typeof asString).toBe("string");
    expect(Array.isArray(asArray)).toBe(true);
    expect(cosine(decodeBase64Embedding(asString as string), e)).toBeGreaterThan(0.95);
  });
});

describe("verifyEmbeddings", () => {
  it("detects 50 marked vectors with p < 1e-6 and names the principal among candidates", async () => {
    const candidates = await Promise.all(["key:a", "key:b", "key:c", "sub:d", "sub:e"].map(async (p) => ({ principal: p, direction: await direction(p) })));
    const rng = seededRng(5);
    const marked = Array.from({ length: 50 }, () => markEmbedding(isotropic(rng), { noiseRatio: 0.01, direction: candidates[2]!.direction, rng }));
    const v = verifyEmbeddings(marked, candidates);
    expect(v).toMatchObject({ attributed: true, principal: "key:c", day: null, trials: 50 });
    expect(v.p_value).toBeLessThan(1e-6);
    // Also through base64, as a suspect API would return them.
    expect(verifyEmbeddings(marked.map(encodeBase64Embedding), candidates).principal).toBe("key:c");
  });

  it("does not attribute unmarked, noise-only or other-key vectors", async () => {
    const a = { principal: "key:a", direction: await direction("key:a") };
    const other = await direction("key:z");
    const rng = seededRng(6);
    const sets = {
      unmarked: Array.from({ length: 50 }, () => isotropic(rng)),
      noiseOnly: Array.from({ length: 50 }, () => markEmbedding(isotropic(rng), { noiseRatio: 0.05, direction: null, rng })),
      otherKey: Array.from({ length: 50 }, () => markEmbedding(isotropic(rng), { noiseRatio: 0.01, direction: other, rng })),
    };
    for (const [name, set] of Object.entries(sets)) {
      const v = verifyEmbeddings(set, [a]);
      expect(v.attributed, name).toBe(false);
      expect(v.p_value, name).toBeGreaterThan(0.01);
    }
  });

  it("stays valid for anisotropic embeddings, where a per-item sign test is fooled", async () => {
    const rng = seededRng(7);
    const unmarked = anisotropicSet(rng, 50);
    let lopsided = 0;
    for (let k = 0; k < 20; k++) {
      const score = scoreEmbeddings(unmarked, await direction(`key:${k}`));
      expect(score.p_value).toBeGreaterThan(1e-3);
      if (score.matches <= 5 || score.matches >= 45) lopsided++;
    }
    // Half the random directions see all items on one side: a sign test would "detect" them.
    expect(lopsided).toBeGreaterThan(5);

    const u = await direction("key:a");
    const marked = anisotropicSet(rng, 50).map((e) => markEmbedding(e, { noiseRatio: 0.01, direction: u, rng }));
    expect(scoreEmbeddings(marked, u).p_value).toBeLessThan(1e-6);
  });
});

describe("verifyEmbeddings with the origin's clean embeddings as references", () => {
  it("cancels an anisotropic model's mean: a marked copy is overwhelming, an independent model is not attributed", async () => {
    const a = { principal: "key:a", direction: await direction("key:a") };
    const rng = seededRng(8);
    const clean = anisotropicSet(rng, 50);
    const copy = clean.map((e) => markEmbedding(e, { noiseRatio: 0.01, direction: a.direction, rng }));
    const stolen = verifyEmbeddings(copy, [a], { references: clean });
    expect(stolen.attributed).toBe(true);
    expect(stolen.p_value).toBeLessThan(1e-30);
    expect(stolen.matches).toBe(50);

    const independent = anisotropicSet(rng, 50);
    const v = verifyEmbeddings(independent, [a], { references: clean.map(encodeBase64Embedding) });
    expect(v.attributed).toBe(false);
    expect(v.p_value).toBeGreaterThan(0.01);
  });
});

/**
 * The Worker's featurizer must produce exactly what training produced (vectors written by
 * wasm-models/train.ts in Node), and the model run by onnxruntime inside workerd must give the
 * scores training measured.
 */
import { describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import vectors from "../vectors/featurize.json";
import soupVectors from "../vectors/soup.json";
import { soupLogit, soupScore, soupStretches } from "../../worker/screen/soup";
import { bundledSoupHead } from "../../worker/screen/soup-lm";
import { CHAR_NGRAMS, DIM, featurize, FEATURIZER_VERSION, MIN_LINE, normalize, screeningWindows, STRIDE, WINDOW, windowSpans } from "../../worker/screen/featurize";
import { screenTexts } from "../../worker/screen";
import { DIRECTIVE_SCORE, directiveHit } from "../../worker/screen/directives";

type Case = (typeof vectors.cases)[number];
/** Strings with lone surrogates are stored as UTF-16 code units (see wasm-models/lib/vectors.ts). */
const str = (c: Case, key: "text" | "normalized"): string => {
  const units = (c as Record<string, unknown>)[`${key}_code_units`] as number[] | undefined;
  return units ? String.fromCharCode(...units) : ((c as Record<string, unknown>)[key] as string);
};

describe("featurizer test vectors (training side vs Worker)", () => {
  it("were made for this featurizer", () => {
    expect(vectors.featurizer).toBe(FEATURIZER_VERSION);
    expect([vectors.dim, vectors.window, vectors.stride, vectors.min_line]).toEqual([DIM, WINDOW, STRIDE, MIN_LINE]);
    expect(vectors.char_ngrams).toEqual([...CHAR_NGRAMS]);
    expect(vectors.cases.length).toBeGreaterThan(20);
  });

  for (const c of vectors.cases) {
    it(`reproduces "${c.name}" bit for bit`, () => {
      const normalized = normalize(str(c, "text"));
      expect(normalized).toBe(str(c, "normalized"));
      expect(windowSpans(normalized.length)).toEqual(c.spans);
      const windows = screeningWindows(str(c, "text"));
      expect(featurize(str(c, "text")).length).toBe(c.sliding);
      expect(windows.length).toBe(c.windows.length);
      windows.forEach((w, i) => {
        expect(Array.from(w.indices)).toEqual(c.windows[i]!.indices);
        expect(Array.from(w.values)).toEqual(c.windows[i]!.values);
      });
    });
  }

  // The vectors hold the classifier's score; the Worker's is the higher of it and the suffix
  // head's (whose own vectors are checked bit for bit below).
  it("gives the scores the exported model gave in training", async () => {
    for (const c of vectors.cases) {
      const { score } = await screenTexts([str(c, "text")], env);
      const t = normalize(str(c, "text"));
      const want = Math.max(c.score, soupScore(t, bundledSoupHead()), directiveHit(t) ? DIRECTIVE_SCORE : 0);
      expect(Math.abs(score - want), c.name).toBeLessThan(1e-6);
    }
  });
});

describe("suffix head test vectors (training side vs Worker)", () => {
  it("were made for this featurizer and suffix head", () => {
    expect(soupVectors.featurizer).toBe(FEATURIZER_VERSION);
    expect(soupVectors.cases.length).toBeGreaterThan(20);
  });

  for (const c of soupVectors.cases) {
    it(`reproduces the suffix head on "${c.name}" exactly`, () => {
      const units = (c as Record<string, unknown>).text_code_units as number[] | undefined;
      const t = normalize(units ? String.fromCharCode(...units) : (c as { text: string }).text);
      const head = bundledSoupHead();
      const stretches = soupStretches(t, head.lm);
      expect(stretches.length).toBe(c.stretches);
      stretches.slice(0, c.first.length).forEach((f, i) => expect(Array.from(f)).toEqual(c.first[i]));
      const logit = soupLogit(t, head);
      expect(logit === -Infinity ? null : logit).toBe(c.logit);
      expect(soupScore(t, head)).toBe(c.score);
    });
  }
});

/**
 * The Worker's featurizer must produce exactly what training produced (vectors written by
 * wasm-models/train.ts in Node), and the model run by onnxruntime inside workerd must give the
 * scores training measured.
 */
import { describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import vectors from "../vectors/featurize.json";
import { CHAR_NGRAMS, DIM, featurize, FEATURIZER_VERSION, MIN_LINE, normalize, screeningWindows, STRIDE, WINDOW, windowSpans } from "../../worker/screen/featurize";
import { screenTexts } from "../../worker/screen";

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

  it("gives the scores the exported model gave in training", async () => {
    for (const c of vectors.cases) {
      const { score } = await screenTexts([str(c, "text")], env);
      expect(Math.abs(score - c.score), c.name).toBeLessThan(1e-6);
    }
  });
});

/**
 * The shipped suffix head's character language model alone, without round 12's vocabulary and
 * round 13's whole-text brackets: the round-3 statistics the reference tests define plainly. Since
 * issue 10 round 21 the bundled head has both (round 14's design), so a test of the round-3
 * statistics must take them off rather than read the bundled head as round 3's.
 */
import { SOUP_FEATURES, type SoupHead, type SoupLm } from "../../worker/screen/soup";
import { bundledSoupHead } from "../../worker/screen/soup-lm";

export function round3Lm(): SoupLm {
  const { trigram, context } = bundledSoupHead().lm;
  return { trigram, context };
}

/** The bundled head's round-3 weights over round3Lm() (the word weights, if any, left out). */
export function round3Head(): SoupHead {
  const head = bundledSoupHead();
  return { lm: round3Lm(), weights: head.weights.slice(0, SOUP_FEATURES), bias: head.bias };
}

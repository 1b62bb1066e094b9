import { WardenError } from "../errors";
import type { Category } from "./detectors/types";

/** The answer holds a match of a category in `block` mode. Carries no matched value. */
export class OutputBlocked extends Error {
  constructor(readonly category: Category, readonly detector: string) {
    super(`output guard: ${category}/${detector} in block mode`);
    this.name = "OutputBlocked";
  }
}

/** A detector failed, or the answer could not be read, and the guard fails closed. */
export class GuardUnavailable extends Error {
  constructor(readonly what: string, options?: { cause?: unknown }) {
    super(`output guard could not check the answer: ${what}`, options);
    this.name = "GuardUnavailable";
  }
}

/** The one public face of both: 403 output_rejected; the reason stays in the operator's log. */
export function rejection(err: OutputBlocked | GuardUnavailable): WardenError {
  if (err instanceof OutputBlocked) {
    return new WardenError("output_rejected", "The answer was withheld by the output guard.", { extensions: { category: err.category }, reason: err.message });
  }
  return new WardenError("output_rejected", "The output guard could not check this answer, and this model refuses unchecked answers.", { reason: err.message, cause: err.cause });
}

import type { TokenUsage } from "../budget/cost";
import { isObject } from "../json";

const count = (v: unknown) => (typeof v === "number" && Number.isFinite(v) && v > 0 ? v : 0);

/**
 * Input and output tokens of a usage object in any dialect Warden serves (chat and completions:
 * prompt/completion; Responses and Anthropic Messages: input/output, with Anthropic's cache reads
 * and writes billed as input), for pricing. Their sum is what `chargeTokens` (worker/budget/cost.ts) charges in tokens:
 * a `total_tokens` larger than the parts (tokens the origin did not attribute) counts as output,
 * the dearer side as a rule; a smaller one is taken from the input first.
 */
export function usageSplit(usage: unknown): TokenUsage | null {
  if (!isObject(usage)) return null;
  let input = count(usage.prompt_tokens) + count(usage.input_tokens) + count(usage.cache_creation_input_tokens) + count(usage.cache_read_input_tokens);
  let output = count(usage.completion_tokens) + count(usage.output_tokens);
  if (typeof usage.total_tokens === "number") {
    const total = count(usage.total_tokens);
    if (total > input + output) output = total - input;
    else if (total < input + output) {
      input = Math.min(input, total);
      output = total - input;
    }
    return { input, output };
  }
  return input + output > 0 ? { input, output } : null;
}

/** The split usage of a JSON answer, or null when it reports none. */
export function reportedUsage(json: unknown): TokenUsage | null {
  return usageSplit(isObject(json) ? json.usage : undefined);
}

import type { TokenUsage } from "../budget/cost";

const count = (v: unknown) => (typeof v === "number" && Number.isFinite(v) && v > 0 ? v : 0);

/**
 * Input and output tokens of a usage object in any dialect Warden serves (chat and completions:
 * prompt/completion; Responses and Anthropic Messages: input/output, with Anthropic's cache reads
 * and writes billed as input), for pricing. Their sum is what `usageTotal` charges in tokens:
 * a `total_tokens` larger than the parts (tokens the origin did not attribute) counts as output,
 * the dearer side as a rule; a smaller one is taken from the input first.
 */
export function usageSplit(usage: unknown): TokenUsage | null {
  if (!usage || typeof usage !== "object") return null;
  const u = usage as Record<string, unknown>;
  let input = count(u.prompt_tokens) + count(u.input_tokens) + count(u.cache_creation_input_tokens) + count(u.cache_read_input_tokens);
  let output = count(u.completion_tokens) + count(u.output_tokens);
  if (typeof u.total_tokens === "number") {
    const total = count(u.total_tokens);
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
  return usageSplit((json as { usage?: unknown } | null)?.usage);
}

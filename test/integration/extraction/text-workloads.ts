/**
 * Honest heavy text workloads (issue 9), over public benchmark questions (GSM8K, see
 * test/vectors/gsm8k-questions.NOTICE.md): an evaluation run sending each question in three
 * templated variants ("Question 12: …"), and a batch job of diverse prompts. Deterministic.
 */
import questions from "../../vectors/gsm8k-questions.json";

export const QUESTIONS: readonly string[] = questions as string[];

/** An evaluation run: every question in its three templated variants, one after the other. */
export function evalPrompts(n: number): string[] {
  const out: string[] = [];
  for (let q = 0; out.length < n; q++) {
    const t = QUESTIONS[q % QUESTIONS.length]!;
    out.push(`Question ${q + 1}: ${t}`);
    out.push(`Question ${q + 1}: ${t}\nAnswer with a number only.`);
    out.push(`Solve the following problem. Think step by step.\n\nQuestion ${q + 1}: ${t}\nAnswer:`);
  }
  return out.slice(0, n);
}

/** A batch job: each question once, as it is. */
export function batchPrompts(n: number): string[] {
  return Array.from({ length: n }, (_, i) => QUESTIONS[i % QUESTIONS.length]!);
}

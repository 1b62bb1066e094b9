/**
 * The comparison detector: the `llm_guardrail` npm package (TF-IDF + logistic regression,
 * whole text, no windows). Its score is the higher of its prompt-injection and jailbreak
 * models' probabilities; its third model ("malicious") judges harmful topics, not attacks on
 * the model, and is left out.
 */
import { checkInjection, checkJailbreak } from "llm_guardrail";

export async function baselineScore(text: string): Promise<number> {
  const [injection, jailbreak] = await Promise.all([checkInjection(text), checkJailbreak(text)]);
  return Math.max(injection.confidence, jailbreak.confidence);
}

/** The parts of the llm_guardrail package (no bundled types) that lib/baseline.ts uses. */
declare module "llm_guardrail" {
  export interface GuardrailResult {
    allowed: boolean;
    detected: boolean;
    prediction: number;
    confidence: number;
    probabilities: { safe: number; threat: number };
  }
  export function checkInjection(prompt: string): Promise<GuardrailResult>;
  export function checkJailbreak(prompt: string): Promise<GuardrailResult>;
}

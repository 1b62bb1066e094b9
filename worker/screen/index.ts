/**
 * Screening: the prompt-injection and jailbreak model (wasm-models/, MODEL_CARD.md) run by
 * onnxruntime-web inside the Worker.
 *
 *   const { score } = await screenTexts(texts, env, operatorTexts);   // 0..1, 1 = attack
 *
 * Throws ScreeningUnavailable when the model cannot be verified or run; the caller applies the
 * tenant's `screening.on_error`. The model is verified and loaded on first use, then reused.
 */
import { bundledModel } from "./model";
import { scoreTexts, type ScreenScore } from "./score";

export { ScreeningUnavailable, type ScreeningFailure } from "./errors";
export type { ScreenScore } from "./score";
export type { DirectiveFamily } from "./directives";

export async function screenTexts(texts: readonly string[], env: { MODEL_MANIFEST_PUBLIC_KEY?: string }, operatorTexts: readonly string[] = []): Promise<ScreenScore> {
  if (texts.every((t) => t.trim() === "")) return { score: 0, perText: texts.map(() => 0), windows: 0, directive: null };
  return scoreTexts(await bundledModel(env.MODEL_MANIFEST_PUBLIC_KEY), texts, new Set(operatorTexts));
}

import type { Json } from "../json";
import { chatAnswer, messagesAnswer, responsesAnswer, type Edit } from "./json";
import { maskChatInput, maskCompletionInput, maskMessagesInput, maskResponsesInput } from "./input";
import { chatSystemTexts, messagesSystemTexts, responsesSystemTexts } from "./system-texts";

/**
 * How the input and output guards read one text route's bodies: a hook on the route (its `guard`,
 * worker/protocols/routes.ts), so the guards hold no test of the route kind. A route without one
 * carries no text the guards read (embeddings, OIP).
 */
export interface GuardDialect {
  /** The request's texts a model reads, masked by `t` into `out` (a copy of `body`): input_guard. */
  maskInput(body: Json, out: Json, t: (text: string) => string): void;
  /** The request's own system texts, which the answer must not reproduce: prompt_leak. */
  systemTexts(body: Json): string[];
  /** Every generated text of a whole JSON answer through `t`, JSON arguments through `args`. */
  answer(json: Json, t: Edit, args: Edit): Json;
}

export const CHAT_GUARD: GuardDialect = { maskInput: maskChatInput, systemTexts: chatSystemTexts, answer: chatAnswer };
export const COMPLETION_GUARD: GuardDialect = { maskInput: maskCompletionInput, systemTexts: () => [], answer: chatAnswer };
export const RESPONSES_GUARD: GuardDialect = { maskInput: maskResponsesInput, systemTexts: responsesSystemTexts, answer: responsesAnswer };
export const MESSAGES_GUARD: GuardDialect = { maskInput: maskMessagesInput, systemTexts: messagesSystemTexts, answer: messagesAnswer };

/**
 * The directive head's word classes, shared by its rules (directives.ts), its guard
 * (directive-guard.ts) and its reading of spaced-out letters (deobfuscate.ts).
 */

/** Stop following what you were told. */
export const OVERRIDE_VERB = "(?:ignore|ignoring|disregard|disregarding|forget|forgetting|override|overriding|bypass|discard|abandon|set aside|throw out|stop following|do not follow|don't follow|no longer follow|cease following)";
/** Show what you were told. */
export const REVEAL_VERB = "(?:repeat|print|output|reveal|show|display|tell me|give me|share|list(?! of)|write out|write down|copy|recite|spell out|leak|dump|echo|translate|summari[sz]e|disclose|expose)";
export const DETERMINER = "(?:all|any|every|each|of|the|your|these|those|this|its)";
/** What was said before: "previous", "system", "your" … */
export const PRIOR_WORDS = "(?:previous|prior|preceding|above|earlier|foregoing|former|initial|original|old|system|developer|pre-?programmed|safety|ethical|moral|content|openai|all|any|every|your)";
/** What was said: "instructions", "rules" … */
export const ORDERS = "(?:instructions?|prompts?|directives?|rules|guidelines|commands|orders|constraints|restrictions|programming|policies|guardrails|limitations|safeguards|filters|training|conditioning)";
export const HIDDEN = "(?:system|initial|original|hidden|secret|internal|confidential|developer|pre-?prompt|underlying)";
export const SETUP = "(?:prompts?|instructions?|rules|guidelines|directives|configuration|preamble|programming|password|secret)";

/**
 * Sources whose texts are system prompts, scored in the operator's voice as the Worker would read
 * them sent as system messages (worker/screen/directives.ts `Voice`; issue 10 round 29).
 */
export const SYSTEM_SOURCES: ReadonlySet<string> = new Set([
  "purplellama_system",
  "purplellama_multilingual_system",
  "gen_protection",
  "bigprompt_gpts",
  "system_prompt_library",
  "fabric_patterns",
  "agent_system_prompts",
  "leaked_system_prompts",
  // round 35 (public-data/round35-unseen.ts)
  "bigprompt_gpts_rest",
  "bigprompt_gpts_long",
  "bigprompt_product_prompts",
  // round 36 (public-data/round36-unseen.ts)
  "gpts_louisshark",
  "gpts_linexjlin",
  // round 37 (public-data/round37-unseen.ts)
  "product_prompts_louisshark",
  "project_prompts_louisshark",
  // round 38 (public-data/round38-unseen.ts)
  "leaks_asgeirtj",
  "prompts_dontriskit",
  "prompts_cl4r1t4s",
]);

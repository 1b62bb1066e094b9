/**
 * The long-document checks' harmless documents (lib/long-documents.ts), for the round 7–9 scripts:
 * its own module because those scripts (run.ts, look.ts, look9.ts) run on import.
 */
export { documents } from "../lib/long-documents";

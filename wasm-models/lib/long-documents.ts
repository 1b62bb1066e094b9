/**
 * Does windowing keep a short attack visible inside a long document, and how often is a long
 * harmless document flagged (a text is as suspicious as its worst window, so every extra window
 * is another chance of a false positive)? Builds ~20 KB harmless documents from validation
 * benign texts of two kinds: "ordinary" (chat questions, maths, e-mails, code answers, ordinary
 * requests) and "security" (our security-flavoured hard negatives, mixed with the ordinary
 * kinds except maths). Hides each short validation attack at the end (and, separately, in the
 * middle) of an ordinary one, and counts detections at each detector's own 1%-FPR threshold
 * from the main validation report. "Host passes": an attack counts as found only where its host
 * document alone is not flagged (issue 10, seventh round: with ~20% of hosts flagged anyway, the
 * plain rate mostly measured the host). The per-family, held-out measurement is
 * wasm-models/round7/ (MODEL_CARD, "Issue 10, seventh round").
 */
import type { SparseVector } from "../../worker/screen/featurize";
import type { Featurized } from "./examples";
import { rateAbove } from "./metrics";
import type { Scorer } from "./onnx-score";
import { rng, shuffle } from "./rng";

const DOC_CHARS = 20_000;
const DOCS = 200;
const MAX_ATTACK_CHARS = 1_000;

export interface LongDocumentRates {
  ordinary_flagged: number;
  security_flagged: number;
  attack_alone: number;
  attack_at_end: number;
  attack_in_middle: number;
  attack_at_end_host_passes: number;
  attack_in_middle_host_passes: number;
}

export interface LongDocumentReport {
  documents: number;
  attacks: number;
  warden: LongDocumentRates;
  /** Warden at the policy's default threshold, 0.9. */
  warden_at_0_9: LongDocumentRates;
  llm_guardrail: LongDocumentRates;
}

/**
 * Harmless documents of ~`target` code units (the long-document checks here and in rounds 7–9):
 * texts shuffled, joined by a blank line, never twice in one.
 */
export function documents(texts: string[], count: number, target: number, random: () => number): string[] {
  const docs: string[] = [];
  for (let d = 0; d < count; d++) {
    const parts: string[] = [];
    let length = 0;
    for (const text of shuffle([...texts], random)) {
      if (length >= target) break;
      parts.push(text);
      length += text.length + 2;
    }
    docs.push(parts.join("\n\n"));
  }
  return docs;
}

export async function longDocumentCheck(
  val: Featurized[],
  score: Scorer,
  baseline: (text: string) => Promise<number>,
  thresholds: { warden: number; llm_guardrail: number },
  screeningWindows: (text: string) => SparseVector[],
): Promise<LongDocumentReport> {
  const random = rng(7);
  const benign = val.filter((v) => v.sample.label === 0).map((v) => v.sample);
  const docs = documents(benign.filter((s) => s.source !== "hard_negative_security").map((s) => s.text), DOCS, DOC_CHARS, random);
  const securityDocs = documents(benign.filter((s) => s.source !== "gsm8k").map((s) => s.text), DOCS, DOC_CHARS, random);
  const attacks = val.filter((v) => v.sample.label === 1 && v.sample.text.length <= MAX_ATTACK_CHARS).map((v) => v.sample.text);
  const atEnd = attacks.map((a, i) => `${docs[i % DOCS]}\n\n${a}`);
  const inMiddle = attacks.map((a, i) => {
    const doc = docs[i % DOCS]!;
    const cut = doc.indexOf("\n\n", Math.floor(doc.length / 2));
    return `${doc.slice(0, cut)}\n\n${a}${doc.slice(cut)}`;
  });
  const ours = (texts: string[]) => Promise.all(texts.map((t) => score(screeningWindows(t))));
  const theirs = async (texts: string[]) => {
    const out: number[] = [];
    for (const t of texts) out.push(await baseline(t));
    return out;
  };
  const measure = async (scorer: (t: string[]) => Promise<number[]>, thresholds: number[]): Promise<LongDocumentRates[]> => {
    const scores = [await scorer(docs), await scorer(securityDocs), await scorer(attacks), await scorer(atEnd), await scorer(inMiddle)];
    const hostPasses = (at: number[], t: number) => at.filter((s, i) => s > t && !(scores[0]![i % DOCS]! > t)).length / Math.max(1, at.length);
    return thresholds.map((t) => ({
      ordinary_flagged: rateAbove(scores[0]!, t),
      security_flagged: rateAbove(scores[1]!, t),
      attack_alone: rateAbove(scores[2]!, t),
      attack_at_end: rateAbove(scores[3]!, t),
      attack_in_middle: rateAbove(scores[4]!, t),
      attack_at_end_host_passes: hostPasses(scores[3]!, t),
      attack_in_middle_host_passes: hostPasses(scores[4]!, t),
    }));
  };
  const [warden, wardenAt09] = await measure(ours, [thresholds.warden, 0.9]);
  const [llmGuardrail] = await measure(theirs, [thresholds.llm_guardrail]);
  return {
    documents: DOCS,
    attacks: attacks.length,
    warden: warden!,
    warden_at_0_9: wardenAt09!,
    llm_guardrail: llmGuardrail!,
  };
}

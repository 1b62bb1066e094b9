/** Rewrites the generated metrics section of MODEL_CARD.md (between the two marker comments). */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import type { DetectorReport } from "./evaluate";
import type { LongDocumentReport } from "./long-documents";
import { DEFAULT_BUDGET, type LosoReport } from "./loso";

const START = "<!-- metrics:start (written by train.ts; do not edit by hand) -->";
const END = "<!-- metrics:end -->";

export interface CardMetrics {
  model_bytes: number;
  default_threshold: number;
  calibrated_from: number;
  loso: LosoReport;
  /** llm_guardrail on every text (it was trained elsewhere), reported the same way. */
  llm_guardrail_all?: LosoReport;
  counts: Record<string, Record<string, number>>;
  warden: DetectorReport;
  llm_guardrail: DetectorReport;
  long_documents: LongDocumentReport;
}

const pct = (x: number) => (Number.isNaN(x) ? "–" : `${(100 * x).toFixed(1)}%`);

function renderLoso(m: CardMetrics): string[] {
  const l = m.loso;
  const worstAttack = l.rows.find((r) => r.source === l.worst_attack_source)!;
  const worstBenign = l.rows.find((r) => r.source === l.worst_benign_source)!;
  const g = m.llm_guardrail_all;
  return [
    "### Leave-one-source-out (the numbers to go by)",
    "",
    `Every source (with its translations and anything near-duplicate to it) was left out of training in turn and scored by the model fitted on the rest. Pooled over all ${l.rows.reduce((n, r) => n + r.n, 0).toLocaleString("en-US")} texts: AUC ${l.auc.toFixed(4)}, recall ${pct(l.recall_at_1pct)} at 1% FPR (threshold ${l.threshold_1pct.toFixed(3)} of the uncalibrated models). **Worst attack source: ${worstAttack.source}, ${pct(worstAttack.at_1pct)}** at that threshold; worst benign source: ${worstBenign.source}, ${pct(worstBenign.at_1pct)} flagged.`,
    "",
    (m as { calibration_rule?: string }).calibration_rule === "round22"
      ? `Default threshold (issue 10, round 31: round 22's rule, lib/calibration.ts): above every out-of-source score of every harmless text of every harmless source of 100 texts or more we hold, round 10's two harmless sources included for calibration only (${l.threshold_default.toFixed(3)} on the uncalibrated scale); the shipped model's bias is shifted so that this is its score ${m.default_threshold} (the policy default). There the classifier alone flags ${pct(l.recall_at_default)} of attacks and ${pct(l.fpr_at_default)} of benign texts; the directive head flags the explicit attacks at every threshold up to 0.97 (section \"Issue 10, rounds 26–29\"), the suffix head optimised token soup.`
      : `Default threshold (issue 10, fourth round: chosen on the union of the classifier's and the suffix head's flags): the lowest that flags at most 1% of all benign texts and at most ${(100 * ((m as { joint_check?: { budget: number } }).joint_check?.budget ?? DEFAULT_BUDGET)).toFixed(2)}% of every benign source of 100 texts or more, each held out, counting a text the suffix head flags as flagged (${l.threshold_default.toFixed(3)} on the uncalibrated scale; smaller sources are too small for a 1% rate and are only reported); the shipped model's bias is shifted so that this is its score ${m.default_threshold} (the policy default). There the classifier alone flags ${pct(l.recall_at_default)} of attacks and ${pct(l.fpr_at_default)} of benign texts (the column below is the classifier alone; both heads together: section \"Issue 10, fourth round\").`,
    "",
    ...(g ? [`llm_guardrail 2.1.2 on the same texts (it was trained on none of them; the higher of its injection and jailbreak probabilities), at its own pooled 1%-FPR threshold (${g.threshold_1pct.toFixed(3)}): AUC ${g.auc.toFixed(4)}, recall ${pct(g.recall_at_1pct)}; at the threshold calibrated the same way as ours (${g.threshold_default.toFixed(3)}): recall ${pct(g.recall_at_default)}, benign flagged ${pct(g.fpr_at_default)}.`, ""] : []),
    "| held-out source | label | n | flagged at pooled 1% FPR | flagged at the default threshold | AUC against all benign | llm_guardrail at its 1% FPR |",
    "|---|---|---|---|---|---|---|",
    ...l.rows.map((r) => `| ${r.source} | ${r.label === 1 ? "attack" : "benign"} | ${r.n} | ${pct(r.at_1pct)} | ${pct(r.at_default)} | ${Number.isNaN(r.auc) ? "" : r.auc.toFixed(3)} | ${g ? pct(g.rows.find((x) => x.source === r.source)?.at_1pct ?? NaN) : ""} |`),
    "",
  ];
}

function render(m: CardMetrics): string {
  const w = m.warden;
  const b = m.llm_guardrail;
  const val = Object.values(m.counts).reduce((n, c) => n + (c.val ?? 0), 0);
  const lines = [
    ...renderLoso(m),
    "### Grouped train/validation split, next to llm_guardrail",
    "",
    "A sibling of the shipped model fitted on the train split only (same settings and calibration), scored once on the validation split.",
    "",
    `Held-out validation split: ${val} texts (${w.by_source ? Object.entries(w.by_source).filter(([, s]) => s.label === 1).reduce((n, [, s]) => n + s.n, 0) : 0} attacks). Model file: ${m.model_bytes.toLocaleString("en-US")} bytes.`,
    "",
    "| metric (validation split) | Warden (this model) | llm_guardrail 2.1.2 |",
    "|---|---|---|",
    `| ROC AUC | ${w.roc_auc.toFixed(4)} | ${b.roc_auc.toFixed(4)} |`,
    `| recall at 1% FPR | ${pct(w.recall_at_1pct_fpr)} | ${pct(b.recall_at_1pct_fpr)} |`,
    `| recall at 5% FPR | ${pct(w.recall_at_5pct_fpr)} | ${pct(b.recall_at_5pct_fpr)} |`,
    `| FPR on harmless security-flavoured prompts, at the 1% threshold | ${pct(w.fpr_security_at_1pct)} | ${pct(b.fpr_security_at_1pct)} |`,
    `| FPR on harmless security-flavoured prompts, at the 5% threshold | ${pct(w.fpr_security_at_5pct)} | ${pct(b.fpr_security_at_5pct)} |`,
    `| score threshold giving 1% / 5% FPR | ${w.threshold_at_1pct_fpr.toFixed(3)} / ${w.threshold_at_5pct_fpr.toFixed(3)} | ${b.threshold_at_1pct_fpr.toFixed(3)} / ${b.threshold_at_5pct_fpr.toFixed(3)} |`,
    `| recall / FPR at score 0.5 | ${pct(w.recall_at_0_5)} / ${pct(w.fpr_at_0_5)} | ${pct(b.recall_at_0_5)} / ${pct(b.fpr_at_0_5)} |`,
    `| recall / FPR at score 0.9 (policy default, calibrated) | ${pct(w.recall_at_0_9)} / ${pct(w.fpr_at_0_9)} | ${pct(b.recall_at_0_9)} / ${pct(b.fpr_at_0_9)} |`,
    "",
    "Per source, share flagged at each detector's 1%-FPR threshold (recall for attack sources, false positives for benign ones):",
    "",
    "| source | label | n (val) | Warden | llm_guardrail |",
    "|---|---|---|---|---|",
    ...Object.entries(w.by_source).map(([source, s]) => `| ${source} | ${s.label === 1 ? "attack" : "benign"} | ${s.n} | ${pct(s.flagged_at_1pct)} | ${pct(b.by_source[source]!.flagged_at_1pct)} |`),
    "",
    `Long documents (${m.long_documents.documents} + ${m.long_documents.documents} harmless ~20 KB documents built from validation texts, ordinary and security-flavoured; ${m.long_documents.attacks} validation attacks of at most 1,000 characters, alone and hidden in an ordinary document; "host passes": found only where the host document alone is not flagged), share flagged at the 1%-FPR thresholds above (held out by source, per family: section "Issue 10, seventh round"):`,
    "",
    "| | Warden | Warden at 0.9 (default threshold) | llm_guardrail |",
    "|---|---|---|---|",
    ...(["ordinary_flagged", "security_flagged", "attack_alone", "attack_at_end", "attack_in_middle", "attack_at_end_host_passes", "attack_in_middle_host_passes"] as const).map(
      (k) => `| ${k.replaceAll("_", " ")} | ${pct(m.long_documents.warden[k])} | ${pct(m.long_documents.warden_at_0_9[k])} | ${pct(m.long_documents.llm_guardrail[k])} |`,
    ),
    "",
    "Texts per split:",
    "",
    "| source | train | val |",
    "|---|---|---|",
    ...Object.entries(m.counts).map(([source, c]) => `| ${source} | ${c.train ?? 0} | ${c.val ?? 0} |`),
  ];
  return lines.join("\n");
}

export function updateCard(file: string, metrics: CardMetrics): void {
  const card = existsSync(file) ? readFileSync(file, "utf8") : `# Model card\n\n${START}\n${END}\n`;
  const start = card.indexOf(START);
  const end = card.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${file}: metric markers missing`);
  writeFileSync(file, card.slice(0, start + START.length) + "\n" + render(metrics) + "\n" + card.slice(end));
}

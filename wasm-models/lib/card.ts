/** Rewrites the generated metrics section of MODEL_CARD.md (between the two marker comments). */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import type { DetectorReport } from "./evaluate";
import type { LongDocumentReport } from "./long-documents";

const START = "<!-- metrics:start (written by train.ts; do not edit by hand) -->";
const END = "<!-- metrics:end -->";

export interface CardMetrics {
  model_bytes: number;
  counts: Record<string, Record<string, number>>;
  warden: DetectorReport;
  llm_guardrail: DetectorReport;
  long_documents: LongDocumentReport;
}

const pct = (x: number) => (Number.isNaN(x) ? "–" : `${(100 * x).toFixed(1)}%`);

function render(m: CardMetrics): string {
  const w = m.warden;
  const b = m.llm_guardrail;
  const val = Object.values(m.counts).reduce((n, c) => n + (c.val ?? 0), 0);
  const lines = [
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
    `| recall / FPR at score 0.9 (policy default) | ${pct(w.recall_at_0_9)} / ${pct(w.fpr_at_0_9)} | ${pct(b.recall_at_0_9)} / ${pct(b.fpr_at_0_9)} |`,
    "",
    "Per source, share flagged at each detector's 1%-FPR threshold (recall for attack sources, false positives for benign ones):",
    "",
    "| source | label | n (val) | Warden | llm_guardrail |",
    "|---|---|---|---|---|",
    ...Object.entries(w.by_source).map(([source, s]) => `| ${source} | ${s.label === 1 ? "attack" : "benign"} | ${s.n} | ${pct(s.flagged_at_1pct)} | ${pct(b.by_source[source]!.flagged_at_1pct)} |`),
    "",
    `Long documents (${m.long_documents.documents} + ${m.long_documents.documents} harmless ~20 KB documents built from validation texts, ordinary and security-flavoured; ${m.long_documents.attacks} validation attacks of at most 1,000 characters, alone and hidden in an ordinary document), share flagged at the 1%-FPR thresholds above:`,
    "",
    "| | Warden | Warden at 0.9 (default threshold) | llm_guardrail |",
    "|---|---|---|---|",
    ...(["ordinary_flagged", "security_flagged", "attack_alone", "attack_at_end", "attack_in_middle"] as const).map(
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

import type { Category, Detector, Finding } from "./detectors/types";
import { SECRET_DETECTORS } from "./detectors/secrets";
import { piiDetectors } from "./detectors/pii";
import { enforces, type GuardMode, type OutputGuardPolicy } from "./policy";
import { LEAK_DETECTOR, SystemPrompt, leakSpans } from "./prompt-leak";
import { GuardUnavailable, OutputBlocked } from "./errors";
import { redact } from "./scan";
import { GuardChannel } from "./channel";
import { originalSpan, visibleView } from "./invisible";


/** What a match led to, for the counts: the category's mode, or `error` for a detector that failed open. */
export type GuardAction = Exclude<GuardMode, "off"> | "error" | "input_redact" | "input_monitor";

/** Counts of one answer, by category, detector and action: never the matched text. */
export type GuardCounts = Map<string, number>;
export const countKey = (category: Category, detector: string, action: GuardAction) => `${category}\u0000${detector}\u0000${action}`;
export function parseCountKey(key: string): { category: Category; detector: string; action: GuardAction } {
  const [category, detector, action] = key.split("\u0000") as [Category, string, GuardAction];
  return { category, detector, action };
}

/** Sorts findings and drops overlaps: the earliest wins; of two starting together, the one listed first. */
export function settle(findings: Finding[], order: readonly string[]): Finding[] {
  const rank = (f: Finding) => (f.category === "prompt_leak" ? -1 : order.indexOf(f.detector));
  findings.sort((a, b) => a.start - b.start || rank(a) - rank(b) || b.end - a.end);
  const out: Finding[] = [];
  let reached = -Infinity;
  for (const f of findings) {
    if (f.start < reached) continue;
    out.push(f);
    reached = f.end;
  }
  return out;
}

/**
 * The output guard of one answer (CONTRACT §6 `output_guard`): which detectors run in which mode,
 * the request's system prompt, and the counts. `text()` checks a whole text; `channel()` gives
 * a stream scanner per generated text. Fails closed (GuardUnavailable) when a detector throws,
 * unless `on_error` is `open`, when that detector is skipped for that text and counted as `error`.
 */
export class OutputGuard {
  readonly counts: GuardCounts = new Map();
  readonly prompt: SystemPrompt | null;
  readonly #detectors: Detector[];
  readonly #order: string[];

  constructor(readonly policy: OutputGuardPolicy, systemTexts: readonly string[], detectors?: Detector[], private readonly log: (event: string, fields: Record<string, unknown>) => void = () => {}) {
    const all = detectors ?? [...SECRET_DETECTORS, ...piiDetectors(policy.phone_regions)];
    this.#detectors = all.filter((d) => policy[d.category] !== "off");
    this.#order = all.map((d) => d.name);
    this.prompt = policy.prompt_leak !== "off" && systemTexts.length > 0 ? new SystemPrompt(systemTexts, policy.prompt_leak_min_words) : null;
    if (this.prompt?.empty) this.prompt = null;
  }

  /** Any category that changes what the client gets: streams then hold back a tail, and logprobs are dropped. */
  get enforcing(): boolean {
    return enforces(this.policy.secrets) || enforces(this.policy.pii) || enforces(this.policy.prompt_leak);
  }

  mode(category: Category): GuardMode {
    return this.policy[category];
  }

  /**
   * Every detector of the given modes on `text`, with the on_error policy applied. Text with
   * invisible characters is read twice: as written (an invisible character may end a value) and
   * as a reader sees it (one inside a value must not hide it); so is JSON text (`json`: tool-call
   * arguments) with a backslash, its escapes decoded. settle() merges the two.
   */
  detect(text: string, enforcing: boolean, json = false): Finding[] {
    const out: Finding[] = [];
    const view = visibleView(text, json);
    for (const d of this.#detectors) {
      if (enforces(this.policy[d.category]) !== enforcing) continue;
      try {
        out.push(...d.find(text));
        if (view) for (const f of d.find(view.text)) out.push({ ...f, ...originalSpan(view, f.start, f.end) });
      } catch (err) {
        this.failed(d.name, d.category, err);
      }
    }
    return out;
  }

  /** A detector threw: closed → the answer is refused; open → counted and logged, the text passes unchecked by it. */
  failed(what: string, category: Category, err: unknown): void {
    this.log("guard.detector_failed", { detector: what, error: (err as Error)?.name ?? "unknown", on_error: this.policy.on_error });
    // Monitor-only policies count the failure: nothing they do could change the answer anyway.
    if (this.policy.on_error !== "open" && this.enforcing) throw new GuardUnavailable(what, { cause: err });
    this.count(category, what, "error");
  }

  count(category: Category, detector: string, action: GuardAction): void {
    const key = countKey(category, detector, action);
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  /** A final finding: counted; in block mode the answer stops here. */
  decide(f: Finding): void {
    const mode = this.policy[f.category];
    if (mode === "off") return;
    this.count(f.category, f.detector, mode);
    if (mode === "block") throw new OutputBlocked(f.category, f.detector);
  }

  /** Findings of both kinds, settled; leak spans come from the system prompt. */
  settle(findings: Finding[]): Finding[] {
    return settle(findings, this.#order);
  }

  /** A whole generated text (a JSON answer's field; `json`: one that is itself JSON text): the text to send, redacted where the policy says. */
  text(text: string, json = false): string {
    if (text.length === 0) return text;
    const findings = [...this.detect(text, true, json), ...this.detect(text, false, json)];
    if (this.prompt) for (const s of leakSpans(text, this.prompt)) findings.push({ detector: LEAK_DETECTOR, category: "prompt_leak", ...s });
    const settled = this.settle(findings);
    for (const f of settled) this.decide(f);
    return redact(text, settled.filter((f) => this.policy[f.category] === "redact"));
  }

  /** A scanner for one streamed text (a choice's content, a content block, tool-call arguments: `json`). */
  channel(json = false): GuardChannel {
    return new GuardChannel(this, json);
  }
}

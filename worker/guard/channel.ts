import type { Finding } from "./detectors/types";
import type { OutputGuard } from "./guard";
import { enforces } from "./policy";
import { LEAK_DETECTOR, words, type LeakTracker, type Word } from "./prompt-leak";
import { safeCut, tailStart } from "./hold";
import { redact, redaction } from "./scan";
import { INVISIBLE } from "./invisible";

/** Longest tail held back; past it, what is there is decided as it stands. */
export const MAX_HOLD = 1024;
/**
 * Past MAX_HOLD, a pending text that is all one unfinished token (a base64 blob) is re-read only
 * every RESCAN characters: each read costs the whole tail, and on every chunk that was ~20× the
 * cost of prose per KB. The hold is then at most MAX_HOLD + RESCAN.
 */
const RESCAN = 256;
const ASCII_TOKEN = /^[\x21-\x7e]*$/;
/** Decided text kept in front of the pending text, for detectors that look behind (credential names). */
const CONTEXT = 64;
/** What continues an unfinished token-shaped secret (invisible characters too: guard.ts reads past them). */
const TOKEN_REST = new RegExp(`^(?:[A-Za-z0-9_\\-.+/=]|${INVISIBLE.source})*`, "u");
const PEM_END = /-----END [A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----/;

type Swallow = { kind: "token" } | { kind: "pem"; tail: string } | { kind: "leak" };

/**
 * One streamed text through the guard, chunk by chunk, without buffering the answer: text is
 * passed on as soon as no match can still cover it, so only the shortest tail that could still
 * become a match is held (tailStart), at most MAX_HOLD characters. A match that grows past
 * MAX_HOLD (a long JWT, a private key, a long leak) is redacted at once and what continues it is
 * dropped (swallowed) until it ends. Two scanners share the text: one for the enforcing
 * categories (its output is what the client gets) and one for the monitored ones (counts only,
 * so monitoring never delays the stream).
 */
export class GuardChannel {
  readonly #enforce: Scanner;
  readonly #monitor: Scanner | null;

  constructor(guard: OutputGuard, json = false) {
    const p = guard.policy;
    this.#enforce = new Scanner(guard, true, json);
    const monitored = p.secrets === "monitor" || p.pii === "monitor" || p.prompt_leak === "monitor";
    this.#monitor = monitored ? new Scanner(guard, false, json) : null;
  }

  /** The text to pass on now; throws OutputBlocked or GuardUnavailable. */
  push(text: string): string {
    this.#monitor?.push(text, false);
    return this.#enforce.push(text, false);
  }

  /** The end of this text: everything still held is decided. */
  flush(): string {
    this.#monitor?.push("", true);
    return this.#enforce.push("", true);
  }
}

class Scanner {
  #pending = "";
  /** Offset of #pending[0] in the whole text. */
  #base = 0;
  #context = "";
  #swallow: Swallow | null = null;
  /** Length of the pending text right after the last read. */
  #readAt = 0;
  /** The whole pending text was one held ASCII token at the last push. */
  #allHeld = false;
  readonly #tracker: LeakTracker | null;
  readonly #threshold: number;
  /** Words fed to the tracker, the latest `threshold` of them (absolute offsets). */
  #words: Word[] = [];
  #consumedTo = 0;
  #run = 0;
  /** Leak spans found so far (absolute offsets), merged. */
  #leaks: Array<{ start: number; end: number }> = [];

  constructor(private readonly guard: OutputGuard, private readonly enforcing: boolean, private readonly json: boolean) {
    const prompt = guard.prompt;
    const leakHere = prompt !== null && enforces(guard.policy.prompt_leak) === enforcing;
    this.#tracker = leakHere ? prompt.tracker() : null;
    this.#threshold = prompt?.threshold ?? Infinity;
    const p = guard.policy;
    this.#secretsOnly = enforcing && !enforces(p.pii) && !(leakHere && this.#tracker !== null);
  }

  /** Only `secrets` changes the text here: words that cannot start a key are not held. */
  readonly #secretsOnly: boolean;

  push(text: string, final: boolean): string {
    if (this.#swallow && text) {
      const rest = this.#swallowText(text);
      if (rest === null) return "";
      text = rest;
    }
    this.#pending += text;
    if (this.#pending.length === 0) return "";
    if (!this.enforcing && !final && this.#pending.length < 64) return "";
    this.#consumeWords(final);
    const p = this.#pending;
    // Nothing before the unfinished tail: nothing could be passed on yet, so nothing to decide.
    // A long held token that grows by token characters stays held whole (its start does not move,
    // and past MAX_HOLD it is longer than every key prefix): no need to look again.
    if (!final && p.length > MAX_HOLD && p.length - this.#readAt < RESCAN && this.#allHeld && ASCII_TOKEN.test(text)) return "";
    this.#allHeld = false;
    if (!final && (p.length <= MAX_HOLD || p.length - this.#readAt < RESCAN) && this.#quickHold(p) === 0) {
      this.#allHeld = ASCII_TOKEN.test(p);
      return "";
    }
    const shift = this.#context.length;
    const findings: Finding[] = this.guard
      .detect(this.#context + p, this.enforcing, this.json)
      .map((f) => ({ ...f, start: Math.max(0, f.start - shift), end: f.end - shift }))
      .filter((f) => f.end > 0);
    for (const l of this.#leaks) {
      if (l.end > this.#base) findings.push({ detector: LEAK_DETECTOR, category: "prompt_leak", start: Math.max(0, l.start - this.#base), end: l.end - this.#base });
    }
    const settled = this.guard.settle(findings);
    let hold = final ? p.length : this.#holdFrom(p, settled);
    let swallow: Swallow | null = null;
    if (!final && p.length - hold > MAX_HOLD) {
      const open = settled.find((f) => f.end >= p.length);
      if (open) {
        hold = p.length;
        swallow = open.category === "prompt_leak" ? { kind: "leak" } : open.detector === "private_key" ? { kind: "pem", tail: "" } : { kind: "token" };
      } else hold = safeCut(p, this.#straddle(p.length - MAX_HOLD, settled));
    }
    const decided = settled.filter((f) => f.end <= hold);
    for (const f of decided) this.guard.decide(f);
    const out = redact(p.slice(0, hold), decided.filter((f) => this.guard.policy[f.category] === "redact"));
    this.#context = (this.#context + p.slice(0, hold)).slice(-CONTEXT);
    this.#base += hold;
    this.#pending = p.slice(hold);
    this.#readAt = this.#pending.length;
    if (swallow && this.guard.policy[decided[decided.length - 1]!.category] === "redact") this.#swallow = swallow;
    return out;
  }

  /** Start of the held tail: an unfinished token or number, a match that may still grow, a run of the system prompt. */
  #holdFrom(p: string, settled: Finding[]): number {
    let hold = this.#quickHold(p);
    for (const f of settled) if (f.end >= p.length) hold = Math.min(hold, f.start);
    return safeCut(p, this.#straddle(hold, settled));
  }

  /** The hold before any detector ran: the unfinished tail and the current run of the system prompt. */
  #quickHold(p: string): number {
    let hold = tailStart(p, { partialWords: this.#tracker !== null, secretsOnly: this.#secretsOnly, before: this.#context });
    if (this.#tracker && this.#run > 0) {
      const first = this.#words[this.#words.length - Math.min(this.#run, this.#words.length)];
      if (first) hold = Math.min(hold, Math.max(0, first.start - this.#base));
    }
    return hold;
  }

  /** Moves a cut back to the start of any finding it would split. */
  #straddle(at: number, settled: Finding[]): number {
    for (let changed = true; changed; ) {
      changed = false;
      for (const f of settled) {
        if (f.start < at && f.end > at) {
          at = f.start;
          changed = true;
        }
      }
    }
    return at;
  }

  /** Feeds complete words of the pending text to the leak tracker; records leak spans. */
  #consumeWords(final: boolean): void {
    if (!this.#tracker) return;
    const from = Math.max(this.#consumedTo, this.#base) - this.#base;
    const end = this.#base + this.#pending.length;
    for (const w of words(this.#pending.slice(from), this.#base + from)) {
      if (!final && w.end >= end) break;
      this.#feed(w);
    }
  }

  #feed(w: Word): number {
    const previous = this.#run;
    this.#run = this.#tracker!.push(w.norm);
    this.#words.push(w);
    if (this.#words.length > this.#threshold) this.#words.shift();
    this.#consumedTo = w.end;
    if (this.#run >= this.#threshold) {
      const start = this.#words[this.#words.length - Math.min(this.#run, this.#words.length)]!.start;
      const last = this.#leaks[this.#leaks.length - 1];
      if (last && start <= last.end) last.end = w.end;
      else this.#leaks.push({ start, end: w.end });
      if (this.#leaks.length > 64) this.#leaks.shift();
    }
    return previous;
  }

  /** Drops what continues a match already redacted; returns the text after it, or null when all of it continues the match. */
  #swallowText(text: string): string | null {
    const s = this.#swallow!;
    let cut: number;
    if (s.kind === "token") {
      cut = TOKEN_REST.exec(text)![0].length;
    } else if (s.kind === "pem") {
      const joined = s.tail + text;
      const m = PEM_END.exec(joined);
      if (!m) {
        s.tail = joined.slice(-64);
        cut = text.length;
      } else cut = Math.max(0, m.index + m[0].length - s.tail.length);
    } else {
      cut = text.length;
      for (const w of words(text, this.#base)) {
        const before = this.#run;
        this.#feed(w);
        if (this.#run !== before + 1 || this.#run < this.#threshold) {
          // The breaking word is passed on as text but not fed again: the tracker has it.
          cut = w.start - this.#base;
          break;
        }
        cut = w.end - this.#base;
      }
    }
    this.#base += cut;
    if (s.kind !== "leak") this.#consumedTo = Math.max(this.#consumedTo, this.#base);
    if (cut >= text.length) return null;
    this.#swallow = null;
    return text.slice(cut);
  }
}

export { redaction };

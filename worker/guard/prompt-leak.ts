/**
 * System-prompt leakage (OWASP LLM07): the longest run of consecutive words of the answer that is
 * also a run of the request's system message, tracked word by word with a suffix automaton of the
 * system message's words, so the same code serves whole answers and streams (O(1) amortised per
 * word). Words are runs of letters and digits after NFKC and lower-casing: punctuation, spacing,
 * line breaks and the text watermark's invisible characters do not break a run.
 */
import { INVISIBLE, stripInvisible } from "./invisible";

/** The detector name of a system-prompt leak in findings, counts and the audit log. */
export const LEAK_DETECTOR = "system_prompt";

export interface Word {
  norm: string;
  start: number;
  end: number;
}

// Invisible characters inside a word are part of it (and dropped from its norm): a zero-width
// space in the middle of each word must not hide a copied system prompt.
const WORD = new RegExp(`[\\p{L}\\p{N}](?:[\\p{L}\\p{N}]|${INVISIBLE.source})*`, "gu");

export function words(text: string, offset = 0): Word[] {
  const out: Word[] = [];
  for (const m of text.matchAll(WORD)) out.push({ norm: stripInvisible(m[0]).normalize("NFKC").toLowerCase(), start: offset + m.index, end: offset + m.index + m[0].length });
  return out;
}

/** Suffix automaton over word ids; separators between system messages are ids nothing matches. */
class WordAutomaton {
  readonly next: Array<Map<number, number>> = [new Map()];
  readonly link: number[] = [-1];
  readonly len: number[] = [0];
  #last = 0;

  extend(c: number): void {
    const cur = this.next.length;
    this.next.push(new Map());
    this.len.push(this.len[this.#last]! + 1);
    this.link.push(0);
    let p = this.#last;
    while (p !== -1 && !this.next[p]!.has(c)) {
      this.next[p]!.set(c, cur);
      p = this.link[p]!;
    }
    if (p !== -1) {
      const q = this.next[p]!.get(c)!;
      if (this.len[p]! + 1 === this.len[q]) this.link[cur] = q;
      else {
        const clone = this.next.length;
        this.next.push(new Map(this.next[q]));
        this.len.push(this.len[p]! + 1);
        this.link.push(this.link[q]!);
        while (p !== -1 && this.next[p]!.get(c) === q) {
          this.next[p]!.set(c, clone);
          p = this.link[p]!;
        }
        this.link[q] = clone;
        this.link[cur] = clone;
      }
    }
    this.#last = cur;
  }
}

/** The system messages of one request, ready to be matched against its answer. */
export class SystemPrompt {
  readonly #ids = new Map<string, number>();
  readonly #automaton = new WordAutomaton();
  /** Run length (words) from which a run is a leak. */
  readonly threshold: number;

  constructor(texts: readonly string[], minWords: number) {
    let longest = 0;
    let separator = -1;
    for (const text of texts) {
      const ws = words(text);
      longest = Math.max(longest, ws.length);
      for (const w of ws) {
        let id = this.#ids.get(w.norm);
        if (id === undefined) this.#ids.set(w.norm, (id = this.#ids.size));
        this.#automaton.extend(id);
      }
      this.#automaton.extend(separator--);
    }
    this.threshold = Math.max(8, Math.min(minWords, longest));
    this.empty = longest < 8;
  }

  /** No system message long enough to leak. */
  readonly empty: boolean;

  tracker(): LeakTracker {
    return new LeakTracker(this.#automaton, this.#ids);
  }
}

/** Word by word: the length of the longest run ending at the latest word that the system message contains. */
export class LeakTracker {
  #state = 0;
  #length = 0;

  constructor(private readonly automaton: WordAutomaton, private readonly ids: ReadonlyMap<string, number>) {}

  push(norm: string): number {
    const c = this.ids.get(norm);
    const a = this.automaton;
    if (c === undefined) {
      this.#state = 0;
      this.#length = 0;
      return 0;
    }
    while (this.#state !== 0 && !a.next[this.#state]!.has(c)) {
      this.#state = a.link[this.#state]!;
      this.#length = a.len[this.#state]!;
    }
    const to = a.next[this.#state]!.get(c);
    if (to === undefined) {
      this.#state = 0;
      this.#length = 0;
    } else {
      this.#state = to;
      this.#length++;
    }
    return this.#length;
  }
}

/** Spans (UTF-16 offsets) of `text` that reproduce at least `threshold` consecutive words of the system prompt. */
export function leakSpans(text: string, prompt: SystemPrompt): Array<{ start: number; end: number }> {
  if (prompt.empty) return [];
  const ws = words(text);
  const tracker = prompt.tracker();
  const spans: Array<{ start: number; end: number }> = [];
  ws.forEach((w, i) => {
    const run = tracker.push(w.norm);
    if (run < prompt.threshold) return;
    const start = ws[i - run + 1]!.start;
    const last = spans[spans.length - 1];
    if (last && start <= last.end) last.end = w.end;
    else spans.push({ start, end: w.end });
  });
  return spans;
}

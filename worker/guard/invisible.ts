/**
 * Characters a reader does not see: format characters (zero-width space, joiners, word joiner,
 * soft hyphen, BOM, bidi controls, tag characters), variation selectors, the combining grapheme
 * joiner and the Hangul fillers. A model told to put them inside a key shows the client the key
 * whole while breaking every pattern, so the detectors also read the text without them.
 */
export const INVISIBLE = /[\p{Cf}\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u3164\ufe00-\ufe0f\uffa0\u{e0100}-\u{e01ef}]/u;
const INVISIBLE_RUNS = new RegExp(`${INVISIBLE.source}+`, "gu");

/** Whether a character (a whole code point) is invisible. */
export const isInvisible = (ch: string): boolean => INVISIBLE.test(ch);

/** `text` without its invisible characters, and where each remaining UTF-16 unit came from. */
export interface Visible {
  text: string;
  /** Offset in the original text of each unit of `text`, plus the original length at the end. */
  from: Int32Array;
}

/** The text as a reader sees it, or null when it holds no invisible character (most text). */
export function visibleView(text: string): Visible | null {
  INVISIBLE_RUNS.lastIndex = 0;
  if (!INVISIBLE_RUNS.test(text)) return null;
  INVISIBLE_RUNS.lastIndex = 0;
  let out = "";
  const from: number[] = [];
  let at = 0;
  const keep = (end: number) => {
    for (let i = at; i < end; i++) from.push(i);
    out += text.slice(at, end);
  };
  for (const m of text.matchAll(INVISIBLE_RUNS)) {
    keep(m.index);
    at = m.index + m[0].length;
  }
  keep(text.length);
  from.push(text.length);
  return { text: out, from: Int32Array.from(from) };
}

/** A span of the view, as a span of the original text (invisible characters inside it included). */
export function originalSpan(v: Visible, start: number, end: number): { start: number; end: number } {
  return { start: v.from[start]!, end: end > start ? v.from[end - 1]! + 1 : v.from[start]! };
}

/** Without invisible characters (for comparisons of short pieces). */
export const stripInvisible = (s: string): string => s.replace(INVISIBLE_RUNS, "");

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

/** `text` as a reader sees it, and where each of its UTF-16 units came from. */
export interface Visible {
  text: string;
  /** Start in the original text of each unit of `text`, plus the original length at the end. */
  from: Int32Array;
  /** End in the original text of each unit (past a whole JSON escape). */
  to: Int32Array;
}

/** A whole JSON string escape. */
const ESCAPE = /\\(?:u[0-9a-fA-F]{4}|["\\/bfnrt])/y;
const SIMPLE: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

/**
 * The text as a reader sees it, or null when that is the text itself (most text): without
 * invisible characters, and for JSON text (tool-call arguments) with string escapes decoded, since
 * the client's JSON parser turns `\u0041KIA…` into the key.
 */
export function visibleView(text: string, json = false): Visible | null {
  INVISIBLE_RUNS.lastIndex = 0;
  const invisible = INVISIBLE_RUNS.test(text);
  if (!invisible && !(json && text.includes("\\"))) return null;
  let out = "";
  const from: number[] = [];
  const to: number[] = [];
  for (let i = 0; i < text.length; ) {
    if (json && text[i] === "\\") {
      ESCAPE.lastIndex = i;
      const m = ESCAPE.exec(text);
      if (m) {
        const ch = m[0][1] === "u" ? String.fromCharCode(parseInt(m[0].slice(2), 16)) : SIMPLE[m[0][1]!]!;
        if (!isInvisible(ch)) {
          out += ch;
          from.push(i);
          to.push(i + m[0].length);
        }
        i += m[0].length;
        continue;
      }
    }
    const cp = text.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    if (!(cp >= 0x80 && isInvisible(ch))) {
      for (let k = 0; k < ch.length; k++) {
        out += ch[k];
        from.push(i + k);
        to.push(i + k + 1);
      }
    }
    i += ch.length;
  }
  from.push(text.length);
  return { text: out, from: Int32Array.from(from), to: Int32Array.from(to) };
}

/** A span of the view, as a span of the original text (invisible characters and escapes inside it included). */
export function originalSpan(v: Visible, start: number, end: number): { start: number; end: number } {
  return { start: v.from[start]!, end: end > start ? v.to[end - 1]! : v.from[start]! };
}

/** Without invisible characters (for comparisons of short pieces). */
export const stripInvisible = (s: string): string => s.replace(INVISIBLE_RUNS, "");

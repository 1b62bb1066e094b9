/**
 * Where the tail of a stream's pending text starts that could still become (part of) a match once
 * more text comes: the shortest suffix a stream must hold back. Everything before it is decided.
 */

import { isInvisible, stripInvisible } from "./invisible";

/**
 * Printable ASCII (keys, tokens, URLs), and letters, digits and marks of scripts written with
 * spaces (international e-mail addresses). Scripts written without spaces (Han, kana, Thai …)
 * end a token, or a whole Chinese paragraph would be held as one "token".
 */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const LETTER = /[\p{L}\p{N}\p{M}]/u;
const tokenChar = (s: string, i: number) => {
  const c = s.charCodeAt(i);
  if (c < 0x80) return c > 0x20 && c < 0x7f;
  const ch = s[i]!;
  // A low surrogate: judge the whole character.
  const whole = c >= 0xdc00 && c <= 0xdfff && i > 0 ? s.slice(i - 1, i + 1) : ch;
  // An invisible character may sit inside a key (guard.ts reads the text without it too).
  return (LETTER.test(whole) && !UNSPACED.test(whole)) || isInvisible(whole);
};
/** The code point that ends at `i`. */
const lastChar = (s: string, i: number): string => {
  const c = s.charCodeAt(i - 1);
  return c >= 0xdc00 && c <= 0xdfff && i > 1 ? s.slice(i - 2, i) : s[i - 1]!;
};
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isUpper = (c: number) => c >= 0x41 && c <= 0x5a;
/** Separators inside grouped numbers: cards, IBANs, phone numbers, ids. */
const SEPARATORS = " -.()/+";
const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;

/** Prefixes of the key formats worker/guard/detectors/secrets.ts knows. */
const SECRET_PREFIXES = ["sk-", "AKIA", "ASIA", "ABIA", "ACCA", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "gldt-", "glptt-", "glrt-", "glcbt-", "gloas-", "xoxa-", "xoxb-", "xoxp-", "xoxo-", "xoxr-", "xoxs-", "xoxe-", "xapp-", "eyJ", "-----BEGIN"];
const CREDENTIAL_WORDS = ["password", "passwd", "passphrase", "pwd", "secret", "client_secret", "api_key", "api-key", "apikey", "access_key", "access-key", "access_token", "auth_token", "refresh_token", "token", "private_key", "credential", "credentials", "bearer", "aws_secret_access_key", "secretaccesskey"];
const VALUE_POSITION = /(?:password|passwd|passphrase|pwd|secret|api[_-]?key|apikey|access[_-]?key|token|private[_-]?key|credentials?)["']?\s*(?:[:=]|=>)\s*["']?$|bearer\s+$/i;
const compatible = (a: string, b: string) => a.startsWith(b) || b.startsWith(a);

/**
 * Whether an unfinished token can still become a secret: it starts (at a word boundary) like one
 * of the key formats or a credential's name, glues a name to a value (`key=…`), or stands where a
 * credential's value goes (after `password: `). Used when only `secrets` is enforced, so that
 * ordinary words are not held back.
 */
export function couldBeSecret(token: string, before: string): boolean {
  // As a reader sees it: invisible characters out, JSON escapes (tool-call arguments) decoded; an
  // escape still being written may be any character.
  if (/\\(?:u[0-9a-fA-F]{0,3})?$/.test(token)) return true;
  token = decodeEscapes(stripInvisible(token));
  before = decodeEscapes(stripInvisible(before));
  if (/[:=]/.test(token) || VALUE_POSITION.test(before)) return true;
  for (let i = 0; i < token.length; i++) {
    if (i > 0 && /[A-Za-z0-9]/.test(token[i - 1]!)) continue;
    const t = token.slice(i);
    const lower = t.toLowerCase();
    if (SECRET_PREFIXES.some((p) => compatible(t, p)) || CREDENTIAL_WORDS.some((w) => compatible(lower, w))) return true;
  }
  return false;
}

const decodeEscapes = (s: string): string => (s.includes("\\") ? s.replace(/\\u([0-9a-fA-F]{4})|\\([\/"\\])/g, (_m, hex: string | undefined, ch: string | undefined) => (hex ? String.fromCharCode(parseInt(hex, 16)) : ch!)) : s);

export interface HoldOptions {
  /** An unfinished word in any script may start a run of the system prompt. */
  partialWords: boolean;
  /** Only secrets are enforced: hold a token only when it could become one; grouped numbers are not held. */
  secretsOnly: boolean;
  /** Decided text just before `s` (look-behind for a credential's name). */
  before: string;
}

export function tailStart(s: string, opts: HoldOptions): number {
  const { partialWords } = opts;
  // A trailing token (an unfinished key, address or token).
  let start = s.length;
  while (start > 0 && tokenChar(s, start - 1)) start--;
  if (opts.secretsOnly && start < s.length && !couldBeSecret(s.slice(start), (opts.before + s.slice(0, start)).slice(-48))) start = s.length;
  if (opts.secretsOnly) return pemHeld(s, start);
  // A trailing grouped number with spaces in it, e.g. "(415) 555-" or "DE89 3704 ".
  let i = s.length;
  let seps = 0;
  let digits = 0;
  let group = s.length;
  while (i > 0) {
    const c = s.charCodeAt(i - 1);
    if (c >= 0x80 && tokenChar(s, i - 1) && isInvisible(lastChar(s, i))) {
      i -= lastChar(s, i).length;
    } else if (isDigit(c) || isUpper(c)) {
      if (isDigit(c)) digits++;
      seps = 0;
      group = --i;
    } else if (SEPARATORS.includes(s[i - 1]!) && seps < 2) {
      seps++;
      i--;
      if (s[i] === "+" || s[i] === "(") group = i;
    } else break;
  }
  if (digits > 0) start = Math.min(start, group);
  start = pemHeld(s, start);
  // An unfinished word in any script (it may start a run of the system prompt).
  if (partialWords) {
    let k = s.length;
    while (k > 0 && (WORD_CHAR.test(s[k - 1]!) || isInvisible(lastChar(s, k)))) k -= lastChar(s, k).length;
    start = Math.min(start, k);
  }
  return start;
}

/** `at`, moved back so that it never separates a surrogate pair. */
export function safeCut(s: string, at: number): number {
  if (at > 0 && at <= s.length) {
    const c = s.charCodeAt(at - 1);
    if (c >= 0xd800 && c <= 0xdbff) return at - 1;
  }
  return at;
}

/** A PEM header still being written ("-----BEGIN RSA PRIV"): held from its first dash. */
function pemHeld(s: string, start: number): number {
  const pem = s.lastIndexOf("-----BEGIN", s.length);
  if (pem >= 0 && s.length - pem < 80 && /^-----BEGIN[A-Z0-9 ]*-{0,5}$/.test(s.slice(pem))) return Math.min(start, pem);
  return start;
}

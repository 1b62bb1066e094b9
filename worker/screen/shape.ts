/**
 * Token-soup features: how much of a window is made of "soup tokens", space-separated runs that
 * glue word pieces to punctuation (`oppositeley.](`, `**ONE`, `\!--Two`) or are runs of symbols.
 * Adversarial suffixes (GCG and its kin) are found by optimisation over tokens and look like this
 * whatever words they use, so their hashed n-grams differ from suffix to suffix while these
 * counts do not. Code, URLs and numbers have soup tokens too: the model weighs these features
 * against the hashed ones, with harmless code and data among the training texts.
 *
 * Integer arithmetic on UTF-16 code units only, so training and Worker agree bit for bit.
 */

/** Thresholds of the soup share, in 64ths of the window's tokens (thermometer code). */
const SHARE_STEPS = [2, 4, 6, 8, 12, 16, 24, 32];
/** Thresholds of the most soup tokens among SPAN consecutive tokens. */
const SPAN = 8;
const LOCAL_STEPS = [2, 3, 4, 5, 6, 7];
/** Thresholds of the number of stray symbols standing alone (isStray) in the window. */
const STRAY_STEPS = [2, 3, 4, 6, 8];
/** Windows with fewer tokens get none. */
const MIN_TOKENS = 6;
export const SHAPE_FEATURES = SHARE_STEPS.length + LOCAL_STEPS.length + STRAY_STEPS.length;

/** ASCII punctuation and symbols: ! " # $ % & ' ( ) * + , - . / : ; < = > ? @ [ \ ] ^ _ ` { | } ~ */
function isPunct(c: number): boolean {
  return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
}

/** Brackets, braces, "!", "`", "^", "|", backslash: alone between spaces, they are rare in prose (a dash or "&" is not). */
function isStray(c: number): boolean {
  return c === 33 || c === 40 || c === 41 || c === 91 || c === 92 || c === 93 || c === 94 || c === 96 || c === 123 || c === 124 || c === 125;
}

/**
 * Soup token: punctuation inside it (not only at its ends) and at least two punctuation marks in
 * all, or a run of two or more symbols with nothing else ("don't" and "end." are not soup), or
 * one stray symbol alone (GCG's "[ [ [" and "! ! !").
 */
function isSoup(t: string, start: number, end: number): boolean {
  if (end - start === 1) return isStray(t.charCodeAt(start));
  let punct = 0;
  let inner = 0;
  for (let p = start; p < end; p++) {
    if (isPunct(t.charCodeAt(p))) {
      punct++;
      if (p > start && p < end - 1) inner++;
    }
  }
  return punct >= 2 && (inner >= 1 || punct === end - start);
}

/** Feature offsets (0 .. SHAPE_FEATURES-1) active for the window [a, b) of normalized text t. */
export function shapeFeatures(t: string, a: number, b: number): number[] {
  const soup: number[] = [];
  let stray = 0;
  let p = a;
  while (p < b) {
    while (p < b && t.charCodeAt(p) === 32) p++;
    if (p >= b) break;
    const start = p;
    while (p < b && t.charCodeAt(p) !== 32) p++;
    soup.push(isSoup(t, start, p) ? 1 : 0);
    if (p - start === 1 && isStray(t.charCodeAt(start))) stray++;
  }
  const n = soup.length;
  if (n < MIN_TOKENS) return [];
  let total = 0;
  let run = 0;
  let best = 0;
  for (let i = 0; i < n; i++) {
    total += soup[i]!;
    run += soup[i]!;
    if (i >= SPAN) run -= soup[i - SPAN]!;
    if (run > best) best = run;
  }
  const out: number[] = [];
  SHARE_STEPS.forEach((step, k) => total * 64 >= step * n && out.push(k));
  LOCAL_STEPS.forEach((step, k) => best >= step && out.push(SHARE_STEPS.length + k));
  STRAY_STEPS.forEach((step, k) => stray >= step && out.push(SHARE_STEPS.length + LOCAL_STEPS.length + k));
  return out;
}

import { hinted, regexDetector, type Detector } from "./types";
import { characterClasses, entropy } from "./entropy";

/**
 * Credentials by their published formats. Prefixed tokens (sk-…, AKIA…, ghp_…, glpat-…, xox…-,
 * eyJ….eyJ…, PEM headers) are specific enough alone; anything else counts only in a credential
 * position (after `password=`, `api_key:`, `Bearer` …) and when it looks random (entropy), so
 * identifiers, hashes and version strings in code pass.
 */

/** Random-looking: long enough, mixed character classes, and not a placeholder. */
const PLACEHOLDER = /^(?:x{4,}|\*{3,}|<[^>]*>|\$\{[^}]*\}|\{\{[^}]*\}\}|your[_-]|my[_-]|example|changeme|placeholder|redacted|none|null|undefined|process\.env|os\.environ|env\.)/i;
export function looksRandom(value: string, minBits = 3.2): boolean {
  if (PLACEHOLDER.test(value)) return false;
  if (/^[0-9a-f]+$/i.test(value) && value.length === 40) return false; // a git commit hash
  return characterClasses(value) >= 2 && entropy(value) >= minBits;
}

const anthropic = regexDetector("anthropic_api_key", "secrets", /(?<![A-Za-z0-9_-])sk-ant-(?:api|admin|oat|sid)\d{2}-[A-Za-z0-9_-]{20,}/g);
// OpenAI's project, service-account and admin keys, and the classic sk-<48>. Other providers copy
// the form (DeepSeek, Together); they are caught too, and named after the original.
const openai = regexDetector(
  "openai_api_key",
  "secrets",
  /(?<![A-Za-z0-9_-])sk-(?!ant-)(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_-]{20,}/g,
  (v) => /[0-9]/.test(v) && /[A-Za-z]/.test(v.slice(3)) && entropy(v) >= 3.5,
);
const awsKeyId = regexDetector("aws_access_key", "secrets", /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Za-z0-9])/g);
const awsSecret = regexDetector(
  "aws_secret_key",
  "secrets",
  /(?:aws_?secret_?access_?key|secret_?access_?key|aws_?secret(?:_?key)?)["']?\s*(?:[:=]|=>)\s*["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])/gi,
  (v) => looksRandom(v, 4),
  1,
);
const github = regexDetector("github_token", "secrets", /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{50,})(?![A-Za-z0-9_])/g);
const gitlab = regexDetector("gitlab_token", "secrets", /(?<![A-Za-z0-9_-])gl(?:pat|dt|ptt|rt|cbt|oas)-[A-Za-z0-9_-]{20,}/g);
const slack = regexDetector("slack_token", "secrets", /(?<![A-Za-z0-9_-])(?:xox[abposre]-[A-Za-z0-9-]{10,}|xapp-\d-[A-Za-z0-9-]{10,})/g);
// header.payload(.signature): both JSON objects start `{"` = base64url `eyJ`. Without a signature
// it is still a token's claims, worth as much to whoever reads them.
const jwt = regexDetector("jwt", "secrets", /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}(?:\.[A-Za-z0-9_-]*)?/g);
// To the END line, or to the end of the text when the answer stops inside the key.
const privateKey = regexDetector(
  "private_key",
  "secrets",
  /-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY( BLOCK)?-----[\s\S]*?(?:-----END \1PRIVATE KEY\2-----|$)/g,
);
const CREDENTIAL_WORDS = "password|passwd|passphrase|pwd|secret|client_secret|api[_-]?key|apikey|access[_-]?key|access[_-]?token|auth[_-]?token|refresh[_-]?token|token|private[_-]?key|credentials?";
const credential = regexDetector(
  "credential",
  "secrets",
  new RegExp(`(?<![A-Za-z0-9])(?:(?:${CREDENTIAL_WORDS})["']?\\s*(?:[:=]|=>)\\s*["']?|bearer\\s+)([^\\s"'\`,;<>()\\[\\]{}]{12,256})`, "gi"),
  // A digit too: identifiers in code (token = getTokenFromCache()) are random-looking letters.
  (v) => /\d/.test(v) && looksRandom(v),
  1,
);

/** Most specific first: on overlapping matches the earlier detector names the match. */
export const SECRET_DETECTORS: readonly Detector[] = [
  hinted("-----BEGIN", privateKey),
  hinted("sk-ant-", anthropic),
  hinted("sk-", openai),
  hinted(/A[KSBC][IC]A/, awsKeyId),
  hinted(/secret/i, awsSecret),
  hinted(/gh[pousr]_|github_pat_/, github),
  hinted("gl", gitlab),
  hinted(/xox|xapp-/, slack),
  hinted("eyJ", jwt),
  hinted(/[:=]|bearer/i, credential),
];

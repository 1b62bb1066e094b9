import { findPhoneNumbersInText, type CountryCode } from "libphonenumber-js/min";
import { hinted, regexDetector, type Detector, type Finding } from "./types";
import { IBAN_LENGTHS, cpfCheck, ibanMod97, luhn, spanishIdLetter, ssnPlausible, verhoeff } from "./checksums";

/**
 * Personal data with few false positives: every number format here must pass its checksum (or,
 * for US SSNs, which have none, the issuance rules in the dashed form only), and phone numbers
 * are what libphonenumber-js (Google's metadata) calls valid, written with a + or separators.
 */

// Local part and domain per RFC 5321 as people write them; a "TLD" that is a file extension is an
// asset name (icon@2x.png), not an address.
const FILE_EXTENSIONS = new Set(["png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "js", "mjs", "ts", "css", "map", "json", "txt", "md"]);
const email = regexDetector(
  "email",
  "pii",
  // Local parts in any script (RFC 6531): "jöhn" must go whole, not leave "jö" behind.
  /(?<![\p{L}\p{N}\p{M}._%+-])[\p{L}\p{N}](?:[\p{L}\p{N}\p{M}._%+-]{0,62}[\p{L}\p{N}\p{M}_%+-])?@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+[\p{L}]{2,24}(?![\p{L}\p{N}-])/gu,
  (v) => !FILE_EXTENSIONS.has(v.slice(v.lastIndexOf(".") + 1).toLowerCase()) && !v.includes(".."),
);

// 13–19 digits, single spaces or dashes between groups, an issuer prefix (Visa, Mastercard, Amex,
// Discover, JCB, Diners, UnionPay, Maestro) and the Luhn check.
const CARD_PREFIX = /^(?:4|5[1-5]|2(?:2[2-9]|[3-6]\d|7[01]|720)|3[47]|6(?:011|5|4[4-9]|2)|35|3(?:0[0-5]|[68])|5[06-9]|6\d)/;
// Letters on either side: a run of digits inside a hash or an identifier, not a card.
const card = regexDetector("payment_card", "pii", /(?<![\p{L}\d.,_-])\d(?:[ -]?\d){12,18}(?![\p{L}\d_]|[.,]\d)/gu, (v) => {
  const digits = v.replace(/[ -]/g, "");
  const separators = v.match(/[ -]/g)?.length ?? 0;
  return CARD_PREFIX.test(digits) && !/^(\d)\1+$/.test(digits) && luhn(digits) && (separators === 0 || separators >= 2);
});

const iban = regexDetector("iban", "pii", /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}(?![A-Za-z0-9])/g, (v) => {
  const compact = v.replace(/ /g, "");
  return IBAN_LENGTHS[compact.slice(0, 2)] === compact.length && ibanMod97(compact);
});

const ssn = regexDetector("us_ssn", "pii", /(?<![\d-])(\d{3})-(\d{2})-(\d{4})(?![\d-])/g, (_v, m) => ssnPlausible(m[1]!, m[2]!, m[3]!));
const dni = regexDetector("es_dni", "pii", /(?<![A-Za-z0-9])[XYZ]?\d{7,8}-?[A-Z](?![A-Za-z0-9])/g, (v) => spanishIdLetter(v.replace("-", "")));
// Formatted only (000.000.000-00): eleven bare digits are too often something else.
const cpf = regexDetector("br_cpf", "pii", /(?<![\d.])\d{3}\.\d{3}\.\d{3}-\d{2}(?![\d-])/g, (v) => cpfCheck(v.replace(/\D/g, "")));
// 12 digits in groups of four, first digit 2–9, Verhoeff check digit (UIDAI).
const aadhaar = regexDetector("in_aadhaar", "pii", /(?<!\d ?)[2-9]\d{3} \d{4} \d{4}(?! ?\d)/g, (v) => verhoeff(v.replace(/ /g, "")));

/**
 * Phone numbers: libphonenumber-js (Google's metadata) decides, but only on candidates — runs of
 * 7–15 digits with the separators people write — since its matcher costs far more than a regex
 * over text that holds no such run (most text).
 */
const PHONE_CANDIDATE = /(?:\+|\(|\b)\d[\d \t().\/-]{5,24}\d(?:\s*(?:ext\.?|x|#)\s*\d{1,6})?/gi;
/**
 * The matcher's verdicts on recent candidates: a stream re-reads the same candidate on every chunk
 * while it is held or in the look-behind context. Bounded, oldest out.
 */
const verdicts = new Map<string, Finding[]>();
function cachedFind(text: string, defaultCountry?: CountryCode): Finding[] {
  const key = `${defaultCountry ?? ""}\u0000${text}`;
  let hit = verdicts.get(key);
  if (!hit) {
    hit = findPhoneNumbersInText(text, defaultCountry ? { defaultCountry } : {})
      .filter((f) => f.number.isValid())
      .map((f) => ({ detector: "phone", category: "pii" as const, start: f.startsAt, end: f.endsAt }));
    verdicts.set(key, hit);
    if (verdicts.size > 512) verdicts.delete(verdicts.keys().next().value as string);
  }
  return hit;
}

function phone(regions: readonly CountryCode[]): Detector {
  const find = cachedFind;
  return {
    name: "phone",
    category: "pii",
    find(text) {
      const out: Finding[] = [];
      PHONE_CANDIDATE.lastIndex = 0;
      for (let m = PHONE_CANDIDATE.exec(text); m; m = PHONE_CANDIDATE.exec(text)) {
        const digits = m[0].replace(/\D/g, "").length;
        if (digits < 7 || digits > 17) continue;
        // A few characters around the candidate: the matcher looks at what borders a number.
        const from = Math.max(0, m.index - 2);
        const piece = text.slice(from, m.index + m[0].length + 2);
        const found = regions.length === 0 ? find(piece) : regions.flatMap((r) => find(piece, r));
        for (const f of found) {
          const start = from + f.start;
          const end = from + f.end;
          const raw = text.slice(start, end);
          // A bare run of digits is an order number or an id far more often than a phone number;
          // digits glued to dots or colons are an address, a version or a time (192.168.1.20:8080).
          if (!(raw.startsWith("+") || /[\s().-]/.test(raw))) continue;
          if (/\d[.:]$/.test(text.slice(Math.max(0, start - 2), start)) || /^[.:]\d/.test(text.slice(end, end + 2)) || /^\d{1,3}(?:\.\d{1,3}){2,}/.test(raw)) continue;
          if (!out.some((o) => o.start === start)) out.push({ ...f, start, end });
        }
      }
      return out;
    },
  };
}

/** Checksummed formats before free-form ones: on overlap the earlier detector names the match. */
export function piiDetectors(phoneRegions: readonly string[]): Detector[] {
  const digits = /\d/;
  return [
    hinted("@", email),
    hinted(digits, card),
    hinted(/[A-Z]{2}\d\d/, iban),
    hinted("-", ssn),
    hinted(digits, dni),
    hinted(".", cpf),
    hinted(digits, aadhaar),
    hinted(digits, phone(phoneRegions as CountryCode[])),
  ];
}

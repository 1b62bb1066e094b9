import { findPhoneNumbersInText, type CountryCode } from "libphonenumber-js/min";
import { regexDetector, type Detector, type Finding } from "./types";
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

function phone(regions: readonly CountryCode[]): Detector {
  const find = (text: string, defaultCountry?: CountryCode): Finding[] =>
    findPhoneNumbersInText(text, defaultCountry ? { defaultCountry } : {})
      .filter((f) => {
        const raw = text.slice(f.startsAt, f.endsAt);
        const before = text.slice(Math.max(0, f.startsAt - 2), f.startsAt);
        const after = text.slice(f.endsAt, f.endsAt + 2);
        // A bare run of digits is an order number or an id far more often than a phone number;
        // digits glued to dots or colons are an address, a version or a time (192.168.1.20:8080).
        if (/\d[.:]$/.test(before)) return false;
        if (/^[.:]\d/.test(after) || /^\d{1,3}(?:\.\d{1,3}){2,}/.test(raw)) return false;
        return f.number.isValid() && (raw.startsWith("+") || /[\s().-]/.test(raw));
      })
      .map((f) => ({ detector: "phone", category: "pii" as const, start: f.startsAt, end: f.endsAt }));
  return {
    name: "phone",
    category: "pii",
    find(text) {
      // International numbers (+…) are found without a region; national forms need one.
      if (!/\d[\s().-]*\d[\s().-]*\d/.test(text)) return [];
      const all = regions.length === 0 ? find(text) : regions.flatMap((r) => find(text, r));
      return all;
    },
  };
}

/** Checksummed formats before free-form ones: on overlap the earlier detector names the match. */
export function piiDetectors(phoneRegions: readonly string[]): Detector[] {
  return [email, card, iban, ssn, dni, cpf, aadhaar, phone(phoneRegions as CountryCode[])];
}

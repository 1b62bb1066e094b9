/**
 * Issue 10, fifth round: our own multilingual data from the phrasebook (phrasebook-multilingual.ts),
 * seeded. Attacks and harmless texts share every language and every framing (plain request,
 * chat-template delimiters, e-mail, "summarize this" documents, web pages, tool output), so
 * neither the language nor the framing carries the label; only what the text asks for does:
 *
 *   attacks  overrides + payload (goal hijack "reply only X", system-prompt and password
 *            extraction, "no rules from now on", exfiltration), fake system tags in a user turn,
 *            instructions for an AI planted in e-mails, web pages and tool output, and the same
 *            with an English carrier around a payload in another language (code switching);
 *   harmless ordinary requests, sentences with trigger words ("ignore the typo", "I forgot my
 *            password", "system language"), harmless system prompts in a chat template, notes for
 *            a human reader in the same e-mails, pages and tool output.
 */
import { distinct, pick } from "../lib/rng";
import { PHRASEBOOK, type Phrasebook } from "./phrasebook-multilingual";

export interface MlText {
  text: string;
  label: 0 | 1;
  lang: string;
  kind: string;
}

const HIJACK_WORDS = ["HACKED", "I have been PWNED", "ACCESS GRANTED", "pwned", "LOL"];
const EMAILS = ["attacker@evil.example", "collect@data-sink.example", "x7@mailbox.example"];
const NAMES = ["Maria", "Ahmed", "Lin", "Sofia", "Kenji", "Ana", "Ivan", "Priya"];
const DELIMS = [(t: string) => `### ${t}:`, (t: string) => `[${t}]`, (t: string) => `</user>\n<system>${t}:`, (t: string) => `---\n${t}:`, (t: string) => `<<${t.toUpperCase()}>>`];

type Random = () => number;

function fillPayload(p: string, r: Random): string {
  return p.replace("{X}", pick(HIJACK_WORDS, r)).replace("{EMAIL}", pick(EMAILS, r));
}

/** An override plus a payload, or (for extraction and "no rules") sometimes the payload alone. */
function attackLine(b: Phrasebook, r: Random): string {
  return `${pick(b.ignore, r)} ${fillPayload(pick(b.payloads, r), r)}`;
}

function email(b: Phrasebook, r: Random, note: string): string {
  return `${b.subject}: ${b.docTitle}\n\n${b.greeting},\n\n${pick(b.docBodies, r)}\n\n${note}\n\n${b.closing},\n${pick(NAMES, r)}`;
}

function webPage(b: Phrasebook, r: Random, note: string, hidden: boolean): string {
  const body = pick(b.docBodies, r);
  const planted = hidden ? (r() < 0.5 ? `<!-- ${note} -->` : `<span style="display:none">${note}</span>`) : `<p>${note}</p>`;
  return `<html><head><title>${b.docTitle}</title></head><body><h1>${b.docTitle}</h1><p>${body}</p>${planted}</body></html>`;
}

function toolOutput(b: Phrasebook, r: Random, note: string): string {
  return JSON.stringify({ status: "ok", results: [{ title: b.docTitle, snippet: `${pick(b.docBodies, r)} ${note}` }] });
}

export function multilingualTexts(random: (id: string) => Random): MlText[] {
  const en = PHRASEBOOK.find((b) => b.code === "en")!;
  const out: MlText[] = [];
  for (const b of PHRASEBOOK) {
    const add = (label: 0 | 1, kind: string, n: number, draw: (r: Random) => string) => {
      const r = random(`${b.code}:${kind}`);
      for (const text of distinct(n, () => draw(r), 40)) out.push({ text, label, lang: b.code, kind });
    };
    // Attacks.
    add(1, "direct", 8, (r) => attackLine(b, r));
    add(1, "payload_only", 3, (r) => fillPayload(pick(b.payloads.slice(1, 4), r), r));
    add(1, "fake_delimiter", 5, (r) => `${pick(b.requests, r)}\n\n${pick(DELIMS, r)(b.sysTag)} ${attackLine(b, r)}`);
    add(1, "email", 5, (r) => email(b, r, `${b.aiNote} ${attackLine(b, r)}`));
    add(1, "email_summarize", 3, (r) => `${b.summarize}\n\n${email(b, r, `${b.aiNote} ${attackLine(b, r)}`)}`);
    add(1, "web_page", 4, (r) => webPage(b, r, `${b.aiNote} ${attackLine(b, r)}`, r() < 0.7));
    add(1, "tool_output", 4, (r) => toolOutput(b, r, `${b.aiNote} ${attackLine(b, r)}`));
    add(1, "system_then_override", 3, (r) => `${pick(b.sysPrompts, r)}\n\n${attackLine(b, r)}`);
    if (b.code !== "en") add(1, "code_switch", 2, (r) => email(en, r, `${en.aiNote} ${attackLine(b, r)}`));
    // Harmless texts in the same language and framings.
    add(0, "request", 4, (r) => pick(b.requests, r));
    add(0, "trigger", 3, (r) => pick(b.triggers, r));
    add(0, "chat_template", 6, (r) => (r() < 0.5 ? `<system>${pick(b.sysPrompts, r)}</system>\n<user>${pick(b.requests, r)}</user>` : `${pick(b.sysPrompts, r)}\n\n${pick([...b.requests, ...b.triggers], r)}`));
    add(0, "email", 5, (r) => email(b, r, pick(b.readerNotes, r)));
    add(0, "email_summarize", 3, (r) => `${b.summarize}\n\n${email(b, r, pick(b.readerNotes, r))}`);
    add(0, "web_page", 4, (r) => webPage(b, r, pick(b.readerNotes, r), r() < 0.7));
    add(0, "tool_output", 4, (r) => toolOutput(b, r, pick(b.readerNotes, r)));
    add(0, "request_trigger", 5, (r) => `${pick(b.requests, r)} ${pick(b.triggers, r)}`);
    add(0, "summarize_doc", 4, (r) => `${b.summarize}\n\n${pick(b.docBodies, r)} ${pick(b.readerNotes, r)}`);
    if (b.code !== "en") add(0, "code_switch", 2, (r) => email(en, r, pick(b.readerNotes, r)));
  }
  return out;
}

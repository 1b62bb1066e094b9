const utf8 = new TextEncoder();
/** Bytes per token of ordinary text, to count completion tokens in chunks that carry several. */
const BYTES_PER_TOKEN = 4;

/**
 * Completion tokens a stream has passed on, for charging a stream cut short (streamCharge): each
 * event with generated text holds at least one token, and an event holding several is counted by
 * its bytes.
 */
export class DeliveredTokens {
  #chunks = 0;
  #bytes = 0;

  add(text: string): void {
    if (!text) return;
    this.#chunks++;
    this.#bytes += utf8.encode(text).byteLength;
  }

  get tokens(): number {
    return Math.max(this.#chunks, Math.ceil(this.#bytes / BYTES_PER_TOKEN));
  }
}

import { createParser } from "eventsource-parser";

/**
 * Server-sent events from an origin, event by event: each `data:` payload may be rewritten or
 * dropped (usage chunks Warden asked for, watermarked deltas), and text may be appended at the end
 * (the receipt comment). Events are re-emitted as soon as they are complete, so the client's
 * first byte never waits for the end of the stream.
 */
export interface SseHooks {
  /** Returns the data to send on, or null to drop the event. */
  data(data: string, event: string | undefined): string | null;
  /** Called once every event has been seen; returns text to append. */
  end(): Promise<string> | string;
  /** Every byte sent to the client, in order (for the receipt digest). */
  sent?(bytes: Uint8Array): void;
}

export function sseTransform(hooks: SseHooks): TransformStream<Uint8Array, Uint8Array> {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  let out: TransformStreamDefaultController<Uint8Array>;
  const emit = (text: string) => {
    if (!text) return;
    const bytes = encoder.encode(text);
    hooks.sent?.(bytes);
    out.enqueue(bytes);
  };
  const parser = createParser({
    onEvent(ev) {
      const data = hooks.data(ev.data, ev.event);
      if (data === null) return;
      let text = "";
      if (ev.event) text += `event: ${ev.event}\n`;
      if (ev.id) text += `id: ${ev.id}\n`;
      text += data.split("\n").map((line) => `data: ${line}\n`).join("") + "\n";
      emit(text);
    },
    onComment(comment) {
      emit(`:${comment}\n\n`);
    },
  });
  return new TransformStream({
    start(controller) {
      out = controller;
    },
    transform(chunk) {
      parser.feed(decoder.decode(chunk, { stream: true }));
    },
    async flush() {
      parser.feed(decoder.decode());
      parser.feed("\n\n");
      emit(await hooks.end());
    },
  });
}

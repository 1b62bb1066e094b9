import { createParser } from "eventsource-parser";

/**
 * Server-sent events from an origin, event by event: each `data:` payload may be rewritten or
 * dropped (usage chunks Warden asked for, watermarked deltas), and text may be appended at the end
 * (the receipt comment). Events are re-emitted as soon as they are complete, so the client's
 * first byte never waits for the end of the stream.
 */
export interface SseHooks {
  /** Returns the data to send on, or null to drop the event. */
  data(data: string, event: string | undefined): Promise<string | null> | string | null;
  /** Called once every event has been seen; returns text to append. */
  end(): Promise<string> | string;
  /** Every byte sent to the client before the trailer `end()` returns, in order (for the receipt digest). */
  sent?(bytes: Uint8Array): void;
}

export function sseTransform(hooks: SseHooks): TransformStream<Uint8Array, Uint8Array> {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  let out: TransformStreamDefaultController<Uint8Array>;
  const emit = (text: string, trailer = false) => {
    if (!text) return;
    const bytes = encoder.encode(text);
    if (!trailer) hooks.sent?.(bytes);
    out.enqueue(bytes);
  };
  // The parser calls back synchronously; hooks may be async, so events queue and are handled in order.
  const pending: Array<{ kind: "event"; data: string; event?: string; id?: string } | { kind: "comment"; text: string }> = [];
  const parser = createParser({
    onEvent: (ev) => void pending.push({ kind: "event", data: ev.data, ...(ev.event ? { event: ev.event } : {}), ...(ev.id ? { id: ev.id } : {}) }),
    onComment: (comment) => void pending.push({ kind: "comment", text: comment }),
  });
  const drain = async () => {
    for (let item = pending.shift(); item; item = pending.shift()) {
      if (item.kind === "comment") {
        emit(`:${item.text}\n\n`);
        continue;
      }
      const data = await hooks.data(item.data, item.event);
      if (data === null) continue;
      let text = "";
      if (item.event) text += `event: ${item.event}\n`;
      if (item.id) text += `id: ${item.id}\n`;
      text += data.split("\n").map((line) => `data: ${line}\n`).join("") + "\n";
      emit(text);
    }
  };
  return new TransformStream({
    start(controller) {
      out = controller;
    },
    async transform(chunk) {
      parser.feed(decoder.decode(chunk, { stream: true }));
      await drain();
    },
    async flush() {
      parser.feed(decoder.decode());
      parser.feed("\n\n");
      await drain();
      emit(await hooks.end(), true);
    },
  });
}

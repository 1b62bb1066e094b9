import { createParser } from "eventsource-parser";

/**
 * Server-sent events from an origin, event by event: each `data:` payload may be rewritten or
 * dropped (usage chunks Warden asked for, watermarked deltas), and text may be appended at the end
 * (the receipt comment). Events are re-emitted as soon as they are complete, so the client's
 * first byte never waits for the end of the stream.
 */
/**
 * What a hook sends for one event: its data (same event name and id), nothing (null), or events
 * of its own; `close` ends the stream after them (the trailer still follows, the origin is cancelled).
 */
export type SseOut = string | null | SseEvent | ReadonlyArray<SseEvent>;
export interface SseEvent {
  event?: string;
  data: string;
  close?: boolean;
}
// Array.isArray does not narrow a ReadonlyArray out of a union: this does.
const isEventList = (out: SseEvent | ReadonlyArray<SseEvent>): out is ReadonlyArray<SseEvent> => Array.isArray(out);

export interface SseHooks {
  data(data: string, event: string | undefined): Promise<SseOut> | SseOut;
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
  const format = (data: string, event?: string, id?: string) => {
    let text = "";
    if (event) text += `event: ${event}\n`;
    if (id) text += `id: ${id}\n`;
    return text + data.split("\n").map((line) => `data: ${line}\n`).join("") + "\n";
  };
  let closed = false;
  const drain = async () => {
    for (let item = pending.shift(); item && !closed; item = pending.shift()) {
      if (item.kind === "comment") {
        emit(`:${item.text}\n\n`);
        continue;
      }
      const result = await hooks.data(item.data, item.event);
      if (result === null) continue;
      if (typeof result === "string") {
        emit(format(result, item.event, item.id));
        continue;
      }
      for (const ev of isEventList(result) ? result : [result]) {
        emit(format(ev.data, ev.event));
        if (ev.close) closed = true;
      }
      if (closed) {
        pending.length = 0;
        emit(await hooks.end(), true);
        // Closes the client's side and cancels the origin: nothing after the refusal is read.
        out.terminate();
      }
    }
  };
  return new TransformStream({
    start(controller) {
      out = controller;
    },
    async transform(chunk) {
      if (closed) return;
      parser.feed(decoder.decode(chunk, { stream: true }));
      await drain();
    },
    async flush() {
      if (closed) return;
      parser.feed(decoder.decode());
      parser.feed("\n\n");
      await drain();
      emit(await hooks.end(), true);
    },
  });
}

/// <reference types="node" />
/**
 * Scripted answers for the output-guard tests (origin-server.ts prefix `/scripted`): the request
 * itself says what the "model" generates, so a test can put a secret exactly where it wants it —
 * split across SSE events, across network writes inside one event, behind JSON escapes.
 *
 * The request body's `x_test_answer` (Warden passes unknown fields on):
 *   pieces: string[]     the generated text, one piece per streamed delta (joined for JSON answers)
 *   raw?: string[]       SSE data lines sent as they are, after the pieces (e.g. not-JSON data)
 *   write_bytes?: number send the SSE stream in network writes of this many bytes (splits
 *                        events, JSON escapes and UTF-8 sequences)
 *   ascii_json?: boolean escape every non-ASCII and '@', '-' character as \uXXXX in the JSON
 *   tool?: boolean       (streams) the pieces are a tool call's arguments, not text
 *   message_extra?: {}   (chat JSON) more members of the answer's message (function_call, audio …)
 *   split_after?: number (streams) three network writes: the first event, the events before
 *                        number `split_after`, the rest (behind /stream-pause, which passes two)
 * The answer's shape follows the path (/v1/chat/completions, /v1/completions, /v1/responses,
 * /v1/messages) and the body's `stream`.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

interface Script {
  pieces: string[];
  raw?: string[];
  write_bytes?: number;
  ascii_json?: boolean;
  tool?: boolean;
  message_extra?: Record<string, unknown>;
  split_after?: number;
}

const escapeJson = (value: unknown, ascii: boolean) => {
  const text = JSON.stringify(value);
  return ascii ? text.replace(/[\u0080-\uffff@-]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`) : text;
};

export async function scriptedAnswer(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { stream?: boolean; model?: string; x_test_answer?: Script };
  const script: Script = body.x_test_answer ?? { pieces: ["(no script)"] };
  const ascii = script.ascii_json === true;
  const model = body.model ?? "scripted";
  const text = script.pieces.join("");
  const usage = { prompt_tokens: 5, completion_tokens: script.pieces.length, total_tokens: 5 + script.pieces.length };
  const kind = path.endsWith("/chat/completions") ? "chat" : path.endsWith("/completions") ? "completion" : path.endsWith("/responses") ? "responses" : "messages";

  if (!body.stream) {
    const answer =
      kind === "chat"
        ? { id: "chatcmpl-s", object: "chat.completion", created: 1, model, choices: [{ index: 0, message: { role: "assistant", content: text, ...script.message_extra }, finish_reason: "stop" }], usage }
        : kind === "completion"
          ? { id: "cmpl-s", object: "text_completion", created: 1, model, choices: [{ index: 0, text, finish_reason: "stop" }], usage }
          : kind === "responses"
            ? { id: "resp_s", object: "response", status: "completed", model, output: [{ type: "message", id: "msg_s", role: "assistant", content: [{ type: "output_text", text, annotations: [] }] }], usage: { input_tokens: 5, output_tokens: 3, total_tokens: 8 } }
            : { id: "msg_s", type: "message", role: "assistant", model, content: [{ type: "text", text }], stop_reason: "end_turn", usage: { input_tokens: 5, output_tokens: 3 } };
    const out = escapeJson(answer, ascii);
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(out) });
    res.end(out);
    return;
  }

  const events: Array<{ event?: string; data: string }> = [];
  const add = (data: unknown, event?: string) => events.push({ ...(event ? { event } : {}), data: escapeJson(data, ascii) });
  if (script.tool && kind === "chat") {
    const base = { id: "chatcmpl-s", object: "chat.completion.chunk", created: 1, model };
    script.pieces.forEach((p, i) => add({ ...base, choices: [{ index: 0, delta: { tool_calls: [{ index: 0, ...(i === 0 ? { id: "call_1", type: "function", function: { name: "lookup", arguments: p } } : { function: { arguments: p } }) }] }, finish_reason: null }] }));
    add({ ...base, choices: [{ index: 0, delta: {}, finish_reason: "tool_calls" }] });
  } else if (script.tool && kind === "responses") {
    const item = (args: string) => ({ type: "function_call", id: "fc_1", call_id: "call_1", name: "lookup", arguments: args, status: "completed" });
    add({ type: "response.output_item.added", output_index: 0, item: item("") }, "response.output_item.added");
    for (const p of script.pieces) add({ type: "response.function_call_arguments.delta", output_index: 0, item_id: "fc_1", delta: p }, "response.function_call_arguments.delta");
    add({ type: "response.function_call_arguments.done", output_index: 0, item_id: "fc_1", arguments: text }, "response.function_call_arguments.done");
    add({ type: "response.output_item.done", output_index: 0, item: item(text) }, "response.output_item.done");
    add({ type: "response.completed", response: { id: "resp_s", status: "completed", output: [item(text)], usage: { input_tokens: 5, output_tokens: 3, total_tokens: 8 } } }, "response.completed");
  } else if (script.tool && kind === "messages") {
    add({ type: "message_start", message: { id: "msg_s", type: "message", role: "assistant", model, content: [], usage: { input_tokens: 5, output_tokens: 1 } } }, "message_start");
    add({ type: "content_block_start", index: 0, content_block: { type: "tool_use", id: "toolu_1", name: "lookup", input: {} } }, "content_block_start");
    for (const p of script.pieces) add({ type: "content_block_delta", index: 0, delta: { type: "input_json_delta", partial_json: p } }, "content_block_delta");
    add({ type: "content_block_stop", index: 0 }, "content_block_stop");
    add({ type: "message_stop" }, "message_stop");
  } else if (kind === "chat" || kind === "completion") {
    const base = { id: "chatcmpl-s", object: kind === "chat" ? "chat.completion.chunk" : "text_completion", created: 1, model };
    if (kind === "chat") add({ ...base, choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }] });
    for (const p of script.pieces) add({ ...base, choices: [kind === "chat" ? { index: 0, delta: { content: p }, finish_reason: null } : { index: 0, text: p, finish_reason: null }] });
    add({ ...base, choices: [kind === "chat" ? { index: 0, delta: {}, finish_reason: "stop" } : { index: 0, text: "", finish_reason: "stop" }] });
    add({ ...base, choices: [], usage });
  } else if (kind === "responses") {
    const part = (t: string) => ({ type: "output_text", text: t, annotations: [] });
    const item = (t: string) => ({ type: "message", id: "msg_s", role: "assistant", status: "completed", content: [part(t)] });
    add({ type: "response.created", response: { id: "resp_s", status: "in_progress", output: [] } }, "response.created");
    add({ type: "response.output_item.added", output_index: 0, item: { ...item(""), content: [] } }, "response.output_item.added");
    add({ type: "response.content_part.added", output_index: 0, content_index: 0, item_id: "msg_s", part: part("") }, "response.content_part.added");
    for (const p of script.pieces) add({ type: "response.output_text.delta", output_index: 0, content_index: 0, item_id: "msg_s", delta: p }, "response.output_text.delta");
    add({ type: "response.output_text.done", output_index: 0, content_index: 0, item_id: "msg_s", text }, "response.output_text.done");
    add({ type: "response.content_part.done", output_index: 0, content_index: 0, item_id: "msg_s", part: part(text) }, "response.content_part.done");
    add({ type: "response.output_item.done", output_index: 0, item: item(text) }, "response.output_item.done");
    add({ type: "response.completed", response: { id: "resp_s", status: "completed", output: [item(text)], usage: { input_tokens: 5, output_tokens: 3, total_tokens: 8 } } }, "response.completed");
  } else {
    add({ type: "message_start", message: { id: "msg_s", type: "message", role: "assistant", model, content: [], usage: { input_tokens: 5, output_tokens: 1 } } }, "message_start");
    add({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }, "content_block_start");
    for (const p of script.pieces) add({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: p } }, "content_block_delta");
    add({ type: "content_block_stop", index: 0 }, "content_block_stop");
    add({ type: "message_delta", delta: { stop_reason: "end_turn" }, usage: { output_tokens: 3 } }, "message_delta");
    add({ type: "message_stop" }, "message_stop");
  }
  const sse = (e: { event?: string; data: string }) => `${e.event ? `event: ${e.event}\n` : ""}data: ${e.data}\n\n`;
  let stream = events.map(sse).join("");
  for (const r of script.raw ?? []) stream += `data: ${r}\n\n`;
  if (kind === "chat" || kind === "completion") stream += "data: [DONE]\n\n";
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  if (script.split_after) {
    const head = [events.slice(0, 1), events.slice(1, script.split_after)].map((es) => es.map(sse).join(""));
    res.write(head[0]);
    res.write(head[1]);
    res.end(stream.slice(head[0]!.length + head[1]!.length));
    return;
  }
  const bytes = Buffer.from(stream, "utf8");
  const step = script.write_bytes && script.write_bytes > 0 ? script.write_bytes : bytes.length;
  for (let i = 0; i < bytes.length; i += step) {
    res.write(bytes.subarray(i, i + step));
    // Separate network writes: a little time between them so they arrive as separate chunks.
    if (step < bytes.length) await new Promise((r) => setTimeout(r, 1));
  }
  res.end();
}

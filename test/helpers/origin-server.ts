/// <reference types="node" />
/**
 * The origin the integration tests put behind Warden. Runs in Node (vitest globalSetup), on
 * 127.0.0.1, and serves the real demo origin (scripts/demo-origin: trigram LM over the OpenAI
 * API, digit classifier over OIP v2) plus test behaviours chosen by path prefixes, so one
 * server serves every test. Prefixes compose left to right, and what is left of the path goes
 * to the demo origin, so a prefix can sit in a model's origin URL:
 *   origins: [{ url: `${ORIGIN_URL}/tag/t1/slow/2000` }]  → Warden calls
 *   /tag/t1/slow/2000/v1/chat/completions → counted under "t1", 2 s later a real completion.
 *
 *   /tag/{label}                 count the request under {label} (GET /__stats?tag={label})
 *   /slow/{ms}                   wait {ms} (at most 120000) before going on
 *   /set-header/{name}/{value}   add this response header to whatever is answered
 *   /status/{code}               answer {code} at once, JSON body containing ORIGIN-SECRET-BODY
 *                                (OpenAI error shape) and a secret-looking header
 *   /framework-status/{code}     answer {code} with a web framework's body ({"detail": …}, as
 *                                FastAPI answers a route it has not got), in no API's error shape
 *   /echo                        answer 200 with the request as JSON (EchoBody below)
 *   /close                       destroy the socket without answering (like a connect failure)
 *   /hang                        never answer (until the client gives up)
 *   /stream-pause[/{ms}]         pass on the first two SSE events at once (role chunk and
 *                                first token), hold the rest for {ms} (default 1500)
 *   /stream-break                pass on the first two SSE events, then destroy the socket
 *   /json-break                  send the status, headers (full content-length) and the first
 *                                half of the answer's body, then reset the connection
 *   /json-stall                  the same, but hold the rest until the client gives up
 *   /binary-output[/always]      Triton's binary tensor extension: when the request asks for it
 *                                (`parameters.binary_data_output` or an output's
 *                                `parameters.binary_data`; or always), answer with a JSON header
 *                                and the outputs as little-endian FP32 bytes after it
 *                                (application/octet-stream, Inference-Header-Content-Length)
 *   /scripted                    answer what the request's `x_test_answer` says (scripted-origin.ts)
 *   /prompt-logprobs/{n}         add vLLM's prompt log-probabilities with {n} alternatives per
 *                                prompt position to a JSON answer (chat: top level;
 *                                completions: per choice), whatever the request asked
 * Control (never counted):
 *   GET  /__stats[?tag=label]    counters: { origin, total, tags: { label: TagStats } }, or one TagStats
 *   POST /__reset[?tag=label]    clear all counters or one tag's → 204
 * Every answer carries `x-test-origin: {name}` so failover tests can see who answered.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { createDemoHandler } from "../../scripts/demo-origin/server.mjs";
import { scriptedAnswer } from "./scripted-origin";

export const SECRET_BODY = "ORIGIN-SECRET-BODY";
export const SECRET_HEADER = "x-origin-secret";

export interface EchoBody {
  origin: string;
  method: string;
  /** Path left after the behaviour prefixes, e.g. "/v1/chat/completions". */
  path: string;
  /** Path as received, prefixes included. */
  raw_path: string;
  query: Record<string, string | string[]>;
  /** Lower-case names, as Node parsed them (repeated headers joined with ", "). */
  headers: Record<string, string | string[] | undefined>;
  body: string;
  body_bytes: number;
  request_id: string | null;
  tenant: string | null;
  principal: string | null;
}

export interface RequestRecord {
  method: string;
  path: string;
  raw_path: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface TagStats {
  tag: string;
  requests: number;
  /** Requests per remaining path. */
  paths: Record<string, number>;
  /** The latest requests, newest last (at most 20). */
  recent: RequestRecord[];
}

export interface TestOrigin {
  name: string;
  url: string;
  close(): Promise<void>;
}

const MAX_SLOW_MS = 120_000;
const RECENT = 20;

type Step =
  | { kind: "tag"; label: string }
  | { kind: "slow"; ms: number }
  | { kind: "set-header"; name: string; value: string }
  | { kind: "status" | "framework-status"; code: number }
  | { kind: "echo" | "close" | "hang" | "stream-break" | "scripted" }
  | { kind: "stream-pause"; ms: number }
  | { kind: "json-break" | "json-stall" }
  | { kind: "binary-output"; always: boolean }
  | { kind: "prompt-logprobs"; n: number };

/** Split a path into its behaviour steps and the rest for the demo origin. */
export function parsePrefixes(pathname: string): { steps: Step[]; rest: string } {
  const parts = pathname.split("/").slice(1);
  const steps: Step[] = [];
  let i = 0;
  const next = () => decodeURIComponent(parts[i++] ?? "");
  const isNumber = (s: string | undefined) => s !== undefined && /^\d+$/.test(s);
  loop: while (i < parts.length) {
    switch (parts[i]) {
      case "tag":
        i++;
        steps.push({ kind: "tag", label: next() });
        break;
      case "slow":
        i++;
        steps.push({ kind: "slow", ms: Math.min(MAX_SLOW_MS, Number(next()) || 0) });
        break;
      case "set-header": {
        i++;
        const name = next();
        steps.push({ kind: "set-header", name, value: next() });
        break;
      }
      case "status":
      case "framework-status": {
        const kind = parts[i++] as "status" | "framework-status";
        steps.push({ kind, code: Number(next()) });
        break;
      }
      case "json-break":
      case "json-stall":
        steps.push({ kind: parts[i++] as "json-break" | "json-stall" });
        break;
      case "binary-output":
        i++;
        steps.push({ kind: "binary-output", always: parts[i] === "always" ? (i++, true) : false });
        break;
      case "prompt-logprobs":
        i++;
        steps.push({ kind: "prompt-logprobs", n: Math.min(1000, Number(next()) || 0) });
        break;
      case "stream-pause":
        i++;
        steps.push({ kind: "stream-pause", ms: isNumber(parts[i]) ? Number(next()) : 1500 });
        break;
      case "echo":
      case "close":
      case "hang":
      case "stream-break":
      case "scripted":
        steps.push({ kind: parts[i++] as "echo" | "close" | "hang" | "stream-break" | "scripted" });
        break;
      default:
        break loop;
    }
  }
  return { steps, rest: `/${parts.slice(i).join("/")}` };
}

/** Let the first `passed` writes through; then hold (pause) or cut (break) the rest. */
function interceptStream(res: ServerResponse, mode: { pauseMs: number } | "break"): void {
  const write = res.write.bind(res) as (chunk: unknown) => boolean;
  const end = res.end.bind(res) as (chunk?: unknown) => ServerResponse;
  const held: unknown[] = [];
  let writes = 0;
  res.write = ((chunk: unknown) => {
    writes += 1;
    if (writes <= 2) return write(chunk);
    if (mode === "break") {
      res.destroy();
      return false;
    }
    held.push(chunk);
    return true;
  }) as ServerResponse["write"];
  res.end = ((chunk?: unknown) => {
    if (chunk !== undefined && typeof chunk !== "function") held.push(chunk);
    if (mode === "break") {
      if (writes < 2) return end();
      res.destroy();
      return res;
    }
    setTimeout(() => {
      if (res.destroyed) return;
      for (const c of held) write(c);
      end();
    }, mode.pauseMs);
    return res;
  }) as ServerResponse["end"];
}

/** Send the head and half of the body the handler ends with, then reset the connection (or hold it). */
function breakJson(res: ServerResponse, mode: "break" | "stall"): void {
  const write = res.write.bind(res) as (chunk: unknown) => boolean;
  res.end = ((chunk?: unknown) => {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk) : Buffer.isBuffer(chunk) ? chunk : Buffer.alloc(0);
    write(bytes.subarray(0, Math.floor(bytes.length / 2)));
    if (mode === "stall") return res;
    // Let the half body leave before the reset, so the client has headers and a partial body.
    setTimeout(() => res.destroy(), 50);
    return res;
  }) as ServerResponse["end"];
}

/** Whether an OIP request asks for binary outputs (Triton's binary tensor data extension). */
function asksBinary(body: string): boolean {
  try {
    const req = JSON.parse(body) as { parameters?: { binary_data_output?: unknown }; outputs?: Array<{ parameters?: { binary_data?: unknown } }> };
    return req.parameters?.binary_data_output === true || (req.outputs ?? []).some((o) => o?.parameters?.binary_data === true);
  } catch {
    return false;
  }
}

/** Rewrite the JSON answer the handler ends with as Triton does for binary outputs. */
function binaryOutputs(res: ServerResponse): void {
  const writeHead = res.writeHead.bind(res) as (status: number, headers?: Record<string, unknown>) => ServerResponse;
  const end = res.end.bind(res) as (chunk?: unknown) => ServerResponse;
  let status = 200;
  res.writeHead = ((code: number, headers?: Record<string, unknown>) => {
    status = code;
    void headers;
    return res;
  }) as ServerResponse["writeHead"];
  res.end = ((chunk?: unknown) => {
    const answer = JSON.parse(String(chunk)) as { outputs?: Array<{ data?: number[]; parameters?: Record<string, unknown> }> };
    const tails: Buffer[] = [];
    for (const out of answer.outputs ?? []) {
      const tail = Buffer.from(new Float32Array(out.data ?? []).buffer);
      delete out.data;
      out.parameters = { ...out.parameters, binary_data_size: tail.length };
      tails.push(tail);
    }
    const header = Buffer.from(JSON.stringify(answer));
    const body = Buffer.concat([header, ...tails]);
    writeHead(status, { "content-type": "application/octet-stream", "inference-header-content-length": String(header.length), "content-length": String(body.length) });
    return end(body);
  }) as ServerResponse["end"];
}

/** vLLM-style prompt log-probabilities: 3 positions (the first null), `n` alternatives plus the prompt token. */
function fakePromptLogprobs(n: number): Array<Record<string, unknown> | null> {
  const position = (p: number) => {
    const out: Record<string, unknown> = { [String(9000 + p)]: { logprob: -7.5, rank: n + 3, decoded_token: `tok${p}` } };
    for (let r = 1; r <= n; r++) out[String(100 * p + r)] = { logprob: -0.1 * r, rank: r, decoded_token: `alt${r}` };
    return out;
  };
  return [null, position(1), position(2)];
}

/** Add prompt log-probabilities to the JSON answer the handler ends with. */
function addPromptLogprobs(res: ServerResponse, n: number): void {
  const writeHead = res.writeHead.bind(res) as (status: number, headers?: Record<string, unknown>) => ServerResponse;
  const end = res.end.bind(res) as (chunk?: unknown) => ServerResponse;
  let status = 200;
  let head: Record<string, unknown> = {};
  res.writeHead = ((code: number, headers?: Record<string, unknown>) => {
    status = code;
    head = headers ?? {};
    return res;
  }) as ServerResponse["writeHead"];
  res.end = ((chunk?: unknown) => {
    const answer = JSON.parse(String(chunk)) as { object?: string; choices?: Array<Record<string, unknown>> } & Record<string, unknown>;
    if (answer.object === "chat.completion") answer.prompt_logprobs = fakePromptLogprobs(n);
    else for (const c of answer.choices ?? []) c.prompt_logprobs = fakePromptLogprobs(n);
    const text = JSON.stringify(answer);
    writeHead(status, { ...head, "content-length": String(Buffer.byteLength(text)) });
    return end(text);
  }) as ServerResponse["end"];
}

/** A request whose body was already read, handed on as if unread. */
function replay(req: IncomingMessage, body: string): IncomingMessage {
  return Object.assign(Readable.from([Buffer.from(body)]), { headers: req.headers, method: req.method, url: req.url, socket: req.socket }) as unknown as IncomingMessage;
}

async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

function waitOrAbort(req: IncomingMessage, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const gone = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      req.socket.off("close", gone);
      resolve(true);
    }, ms);
    req.socket.once("close", gone);
  });
}

/** Start one test origin on 127.0.0.1 (free port). */
export async function startTestOrigin({ name = "origin", port = 0 }: { name?: string; port?: number } = {}): Promise<TestOrigin> {
  const demo = createDemoHandler();
  const tags = new Map<string, TagStats>();
  let total = 0;

  const statsOf = (tag: string): TagStats => tags.get(tag) ?? { tag, requests: 0, paths: {}, recent: [] };
  const record = (tag: string, entry: RequestRecord) => {
    const s = statsOf(tag);
    s.requests += 1;
    s.paths[entry.path] = (s.paths[entry.path] ?? 0) + 1;
    s.recent.push(entry);
    if (s.recent.length > RECENT) s.recent.shift();
    tags.set(tag, s);
  };

  async function handle(incoming: IncomingMessage, res: ServerResponse): Promise<void> {
    let req = incoming;
    const url = new URL(req.url ?? "/", "http://origin");
    res.setHeader("x-test-origin", name);
    const tagParam = url.searchParams.get("tag");
    if (url.pathname === "/__stats" && req.method === "GET") {
      return sendJson(res, 200, tagParam !== null ? statsOf(tagParam) : { origin: name, total, tags: Object.fromEntries(tags) });
    }
    if (url.pathname === "/__reset" && req.method === "POST") {
      if (tagParam !== null) tags.delete(tagParam);
      else {
        tags.clear();
        total = 0;
      }
      res.writeHead(204).end();
      return;
    }

    const { steps, rest } = parsePrefixes(url.pathname);
    total += 1;
    const entry = { method: req.method ?? "GET", path: rest, raw_path: url.pathname, headers: req.headers };
    for (const step of steps) if (step.kind === "tag") record(step.label, entry);

    for (const step of steps) {
      switch (step.kind) {
        case "slow":
          if (!(await waitOrAbort(req, step.ms))) return;
          break;
        case "set-header":
          res.setHeader(step.name, step.value);
          break;
        case "status": {
          const code = step.code >= 200 && step.code <= 599 ? step.code : 500;
          await readText(req);
          return sendJson(res, code, { error: { message: `${SECRET_BODY}: origin failed with ${code}`, type: "origin_test", param: null, code: SECRET_BODY } }, { [SECRET_HEADER]: SECRET_BODY });
        }
        case "framework-status": {
          await readText(req);
          return sendJson(res, step.code >= 400 && step.code <= 599 ? step.code : 404, { detail: step.code === 405 ? "Method Not Allowed" : "Not Found" });
        }
        case "echo": {
          const body = await readText(req);
          const one = (h: string) => (typeof req.headers[h] === "string" ? (req.headers[h] as string) : null);
          const query: Record<string, string | string[]> = {};
          for (const key of new Set(url.searchParams.keys())) {
            const all = url.searchParams.getAll(key);
            query[key] = all.length === 1 ? (all[0] as string) : all;
          }
          const echo: EchoBody = {
            origin: name,
            method: req.method ?? "GET",
            path: rest,
            raw_path: url.pathname,
            query,
            headers: req.headers,
            body,
            body_bytes: Buffer.byteLength(body),
            request_id: one("x-request-id"),
            tenant: one("x-warden-tenant"),
            principal: one("x-warden-principal"),
          };
          return sendJson(res, 200, echo);
        }
        case "scripted":
          return scriptedAnswer(req, res, rest);
        case "close":
          req.socket.destroy();
          return;
        case "hang":
          await waitOrAbort(req, 2 ** 31 - 1);
          return;
        case "stream-pause":
          interceptStream(res, { pauseMs: step.ms });
          break;
        case "stream-break":
          interceptStream(res, "break");
          break;
        case "json-break":
        case "json-stall":
          breakJson(res, step.kind === "json-break" ? "break" : "stall");
          break;
        case "prompt-logprobs":
          addPromptLogprobs(res, step.n);
          break;
        case "binary-output": {
          const body = await readText(req);
          if (step.always || asksBinary(body)) binaryOutputs(res);
          req = replay(req, body);
          break;
        }
        case "tag":
          break;
      }
    }
    await demo(req, res, rest);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: `test origin: ${String(err)}` });
      else res.destroy();
    });
  });
  // Idle keep-alive connections stay open until the client (workerd) closes them. With Node's
  // 5 s default the server closed connections workerd still held in its pool, and the next
  // request written to one failed ("Broken pipe", then 503 no_origin) — seen in CI.
  server.keepAliveTimeout = 0;
  // `hang` and slow answers must not keep the process alive at teardown.
  const sockets = new Set<import("node:net").Socket>();
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const { port: actual } = server.address() as AddressInfo;
  return {
    name,
    url: `http://127.0.0.1:${actual}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * A loopback URL where nothing listens (connect refused), for the whole run. The port is taken
 * below the kernel's ephemeral range: every `listen(0)` on the machine (the workerd of each test
 * file, wrangler, the origins, other jobs) gets a port from that range, so a port that was merely
 * free at setup could be listened on minutes later, and the "down" origin would answer. Only where
 * the range leaves no room below it does this fall back to such a port.
 */
export async function unusedLoopbackUrl(): Promise<string> {
  const low = await ephemeralLow();
  for (let tries = 0; low > FIXED_PORTS_BELOW + 1000 && tries < 50; tries++) {
    const port = FIXED_PORTS_BELOW + Math.floor(Math.random() * (low - FIXED_PORTS_BELOW));
    if (await listenable(port)) return `http://127.0.0.1:${port}`;
  }
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", () => resolve()));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** Ports that services choose on purpose (8787, 9229, 8080, …) stay below this. */
const FIXED_PORTS_BELOW = 20_000;

/** The lowest ephemeral port (Linux; the IANA range's 49152 elsewhere). */
async function ephemeralLow(): Promise<number> {
  try {
    const { readFile } = await import("node:fs/promises");
    const low = Number((await readFile("/proc/sys/net/ipv4/ip_local_port_range", "utf8")).trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 0 ? low : 49_152;
  } catch {
    return 49_152;
  }
}

function listenable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

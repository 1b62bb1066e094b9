import { env, createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { dialectFor } from "../../worker/protocols/error-dialects";
import { expect, vi } from "vitest";
import { app } from "../../worker/app";
import { ERROR_TABLE } from "../../worker/errors";
import { BASE } from "./warden";

/**
 * The judge of the fuzz tests: sends requests to the real Worker and checks, for every answer,
 * what CONTRACT §8 promises whatever the input — never a 500, every error Warden makes is RFC 9457
 * problem+json with the contract's members, no secret and no origin address in an error — and
 * collects every violation with a replayable description of the request, so one run reports all
 * of them. A Warden bug logs `request.internal_error` with its stack: the judge attaches that line.
 *
 * Requests go to the Worker's own fetch handler (worker/index.ts exports `app`) with the real
 * bindings and an execution context whose waitUntil work is awaited, rather than through SELF:
 * in @cloudflare/vitest-pool-workers 0.15.1 each SELF.fetch costs more than the one before
 * (measured here: /healthz 3.4 ms a call for the first 50 calls of a file, 14 ms after 300),
 * which makes a fuzz run of thousands of requests quadratic; the handler itself stays at ~0.1 ms.
 */
export interface FuzzRequest {
  label: string;
  path: string;
  init?: RequestInit;
  /** Origin failures (502/503/504 problems) are the expected answer for this request. */
  originFailureOk?: boolean;
}

export interface Outcome {
  label: string;
  status: number;
  text: string;
  headers: Headers;
  /** The parsed problem when Warden made an error answer. */
  problem: Record<string, unknown> | null;
  /** The answer came from the origin (the test origin marks each answer with x-test-origin). */
  fromOrigin: boolean;
}

const PROBLEM_MEMBERS = ["type", "title", "status", "detail", "code", "request_id"] as const;
const STACK = /\n\s+at |\.ts:\d+:\d+|\.m?js:\d+:\d+/;

export class FuzzJudge {
  readonly violations: string[] = [];
  readonly statuses = new Map<number, number>();
  sent = 0;
  /** Requests the runtime itself refused to build (e.g. a NUL in a header): never reached Warden. */
  unsendable = 0;
  #credentials = new Map<string, string>();
  #addresses = new Map<string, string>();
  #logs = new Map<string, string>();
  #spy: { mockRestore(): void } | null = null;

  constructor() {
    this.credential("ADMIN_TOKEN", env.ADMIN_TOKEN!);
    this.credential("MASTER_KEY", env.MASTER_KEY!);
    for (const [name, url] of [["ORIGIN_URL", env.ORIGIN_URL], ["ORIGIN_URL_2", env.ORIGIN_URL_2], ["ORIGIN_DOWN_URL", env.ORIGIN_DOWN_URL]] as const) {
      this.#addresses.set(`${name} host`, new URL(url).host);
    }
    this.#addresses.set("test origin body marker", "ORIGIN-SECRET-BODY");
  }

  /** A value that no answer may contain (keys, origin header values, JWT secrets, …). */
  credential(name: string, value: string): void {
    if (value.length < 8) throw new Error(`a secret to look for must be distinctive: ${name}`);
    this.#credentials.set(name, value);
  }

  /** Captures Warden's internal-error log lines so a violation can show the stack. */
  start(): void {
    const original = console.log.bind(console);
    this.#spy = vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
      const line = args.map(String).join(" ");
      if (line.includes('"request.internal_error"')) {
        try {
          const entry = JSON.parse(line) as { request_id?: string; stack?: string };
          if (entry.request_id) this.#logs.set(entry.request_id, (entry.stack ?? line).split("\n").slice(0, 3).join(" | "));
        } catch {
          // not one of Warden's JSON lines
        }
      }
      original(...args);
    });
  }

  stop(): void {
    this.#spy?.mockRestore();
    this.#spy = null;
  }

  async send(req: FuzzRequest): Promise<Outcome | null> {
    let request: Request;
    try {
      request = new Request(`${BASE}${req.path}`, req.init);
    } catch {
      this.unsendable += 1;
      return null;
    }
    this.sent += 1;
    let res: Response;
    try {
      const ctx = createExecutionContext();
      res = await app.fetch(request, env, ctx);
      await waitOnExecutionContext(ctx);
    } catch (err) {
      this.#fail(req, `the Worker threw instead of answering: ${String(err)}`);
      return null;
    }
    const text = await res.text();
    this.statuses.set(res.status, (this.statuses.get(res.status) ?? 0) + 1);
    return this.#judge(req, res, text);
  }

  /** Sends `requests` a few at a time (the Worker and its objects serve them concurrently). */
  async sendAll(requests: FuzzRequest[], concurrency = 6): Promise<Array<Outcome | null>> {
    const out: Array<Outcome | null> = new Array(requests.length).fill(null);
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const i = next++;
        out[i] = await this.send(requests[i]!);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return out;
  }

  /** Records a violation found by a test's own check of an outcome. */
  flag(label: string, message: string): void {
    this.violations.push(`${label}: ${message}`);
  }

  /** Fails with every violation collected since the last call (and starts a fresh list). */
  assertClean(): void {
    const found = this.violations.splice(0);
    expect(found, `${found.length} violations`).toEqual([]);
  }

  summary(): string {
    const statuses = [...this.statuses.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(" ");
    return `sent ${this.sent} (unsendable ${this.unsendable}); ${statuses}`;
  }

  #judge(req: FuzzRequest, res: Response, text: string): Outcome {
    const requestId = res.headers.get("x-request-id");
    const fromOrigin = res.headers.has("x-test-origin");
    const outcome: Outcome = { label: req.label, status: res.status, text, headers: res.headers, problem: null, fromOrigin };
    if (!requestId) this.#fail(req, "no x-request-id header");
    if (res.status === 500) this.#fail(req, `500 ${this.#logs.get(requestId ?? "") ?? text.slice(0, 200)}`);

    const error = res.status >= 400;
    const leakable = error ? new Map([...this.#credentials, ...this.#addresses]) : this.#credentials;
    const haystack = `${text}\n${[...res.headers].map(([k, v]) => `${k}: ${v}`).join("\n")}`;
    for (const [name, value] of leakable) if (haystack.includes(value)) this.#fail(req, `${res.status} answer contains ${name}`);

    if (!error || fromOrigin) return outcome;
    const problem = this.#problem(req, res, text, requestId);
    outcome.problem = problem;
    if (problem && res.status > 500 && !(req.originFailureOk && ["origin_error", "no_origin", "origin_timeout"].includes(String(problem.code)))) {
      this.#fail(req, `${res.status} ${String(problem.code)}`);
    }
    return outcome;
  }

  #problem(req: FuzzRequest, res: Response, text: string, requestId: string | null): Record<string, unknown> | null {
    const type = res.headers.get("content-type") ?? "";
    if (!type.startsWith("application/problem+json")) {
      this.#fail(req, `${res.status} error is ${type || "untyped"}, not problem+json: ${text.slice(0, 120)}`);
      return null;
    }
    let p: Record<string, unknown>;
    try {
      p = JSON.parse(text) as Record<string, unknown>;
    } catch {
      this.#fail(req, `${res.status} problem body is not JSON`);
      return null;
    }
    const missing = PROBLEM_MEMBERS.filter((m) => !(m in p));
    if (missing.length) this.#fail(req, `problem lacks ${missing.join(", ")}`);
    const entry = ERROR_TABLE[p.code as keyof typeof ERROR_TABLE] as { status: number; title: string } | undefined;
    if (!entry) this.#fail(req, `unknown problem code ${String(p.code)}`);
    else {
      if (p.status !== res.status || entry.status !== res.status) this.#fail(req, `problem status ${String(p.status)} / code ${String(p.code)} / HTTP ${res.status} disagree`);
      if (p.title !== entry.title) this.#fail(req, `problem title ${String(p.title)} is not ${entry.title}`);
      if (p.type !== `/errors/${String(p.code)}`) this.#fail(req, `problem type ${String(p.type)}`);
    }
    if (typeof p.detail !== "string") this.#fail(req, "problem detail is not a string");
    if (p.request_id !== requestId) this.#fail(req, "problem request_id differs from x-request-id");
    for (const extra of Object.keys(p).filter((k) => !(PROBLEM_MEMBERS as readonly string[]).includes(k))) {
      if (extra === "errors") continue;
      if (extra === "error") this.#dialectMember(req, p);
      else this.#fail(req, `unexpected problem member ${extra}`);
    }
    if (STACK.test(text)) this.#fail(req, "problem carries a stack trace");
    if (res.status === 401 && !res.headers.get("www-authenticate")) this.#fail(req, "401 without WWW-Authenticate");
    return p;
  }

  /** The SDK-shaped `error` member: only on the `/v1/` routes, and only repeating the problem (CONTRACT §8). */
  #dialectMember(req: FuzzRequest, p: Record<string, unknown>): void {
    let path = req.path;
    try {
      path = new URL(req.path, "https://warden.test").pathname;
    } catch {
      // An unparsable path cannot be a /v1/ route.
    }
    const dialect = dialectFor(path);
    const e = p.error as Record<string, unknown> | null;
    if (!dialect || typeof e !== "object" || e === null) return this.#fail(req, `unexpected problem member error (dialect ${String(dialect)})`);
    if (e.message !== p.detail || typeof e.type !== "string") this.#fail(req, "error member does not repeat the problem's detail with a type");
    if (dialect === "openai" && (e.code !== p.code || !(e.param === null || typeof e.param === "string"))) this.#fail(req, "OpenAI error member's code or param is off");
  }

  #fail(req: FuzzRequest, message: string): void {
    this.violations.push(`${message}\n    repro: ${describe(req)}`);
  }
}

/** Enough of a request to replay it by hand: method, path, headers and the start of the body. */
export function describe(req: FuzzRequest): string {
  const init = req.init ?? {};
  const headers = init.headers ? Object.fromEntries(new Headers(init.headers as HeadersInit)) : {};
  for (const k of Object.keys(headers)) if (headers[k]!.length > 80) headers[k] = `${headers[k]!.slice(0, 80)}…(${headers[k]!.length})`;
  let body = "";
  if (typeof init.body === "string") body = init.body.length > 240 ? `${init.body.slice(0, 240)}…(${init.body.length} chars)` : init.body;
  else if (init.body instanceof Uint8Array) body = `bytes[${init.body.length}] ${[...init.body.slice(0, 60)].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
  const path = req.path.length > 240 ? `${req.path.slice(0, 240)}…(${req.path.length})` : req.path;
  return `[${req.label}] ${init.method ?? "GET"} ${path} ${JSON.stringify(headers)} ${JSON.stringify(body)}`;
}

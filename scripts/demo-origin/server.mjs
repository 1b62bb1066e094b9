#!/usr/bin/env node
/**
 * The demo origin: a model server Warden runs in front of in `npm start`, the tests and the
 * benchmarks. Node built-ins only.
 *
 *   OpenAI-compatible (openai-routes.mjs): POST /v1/chat/completions, POST /v1/completions,
 *     POST /v1/embeddings, GET /v1/models — a word-trigram language model trained at start-up
 *     on corpus.txt, and a hashed n-gram random-projection embedding (128 dimensions).
 *   OIP v2 / KServe REST (oip-routes.mjs): GET /v2/health/ready, GET /v2/models/digits,
 *     GET /v2/models/digits/ready, POST /v2/models/digits/infer — an MLP digit classifier
 *     (digits-model.json, trained by train-classifier.mjs).
 *   GET / lists these routes.
 *
 * CLI: node scripts/demo-origin/server.mjs [--port 0] [--host 127.0.0.1] [--token-delay-ms 0]
 * Library: startDemoOrigin({ port, host, tokenDelayMs }) → { url, port, close() };
 *          createDemoHandler({ tokenDelayMs }) → (req, res, path?) => Promise<void>.
 */
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { handleOpenAI } from "./openai-routes.mjs";
import { handleOip, digitsModel } from "./oip-routes.mjs";
import { demoLanguageModel } from "./language-model.mjs";
import { HttpError, openaiError, oipError, sendJson } from "./http-util.mjs";

const INDEX = {
  name: "warden-demo-origin",
  openai: ["POST /v1/chat/completions", "POST /v1/completions", "POST /v1/embeddings", "GET /v1/models"],
  oip: ["GET /v2/health/ready", "GET /v2/models/digits", "GET /v2/models/digits/ready", "POST /v2/models/digits/infer"],
};

/**
 * A request handler for the demo routes. `path` (without query) defaults to the request's own;
 * the test origin passes the rest of a path after its behaviour prefixes.
 */
export function createDemoHandler({ tokenDelayMs = 0 } = {}) {
  // Train and load now, so that the first request is not the slow one.
  demoLanguageModel();
  digitsModel();
  return async function demoHandler(req, res, path = new URL(req.url ?? "/", "http://origin").pathname) {
    try {
      if (req.method === "GET" && path === "/") return sendJson(res, 200, INDEX);
      if (await handleOpenAI(req, res, path, { tokenDelayMs })) return;
      if (await handleOip(req, res, path)) return;
      throw path.startsWith("/v2/") ? oipError(404, `no route for ${req.method} ${path}`) : openaiError(404, `Unknown request URL: ${req.method} ${path}`, null, "unknown_url");
    } catch (err) {
      if (res.headersSent) {
        res.destroy();
      } else if (err instanceof HttpError) {
        sendJson(res, err.status, err.body);
      } else {
        console.error("demo origin:", err);
        sendJson(res, 500, { error: "internal error in the demo origin" });
      }
    }
  };
}

/** Start the demo origin; port 0 picks a free port. */
export async function startDemoOrigin({ port = 0, host = "127.0.0.1", tokenDelayMs = 0 } = {}) {
  const handler = createDemoHandler({ tokenDelayMs });
  const server = createServer((req, res) => void handler(req, res));
  // Keep idle keep-alive connections until Warden (workerd) closes them: with Node's 5 s default
  // the origin closed connections still in workerd's pool, and a request written to one failed
  // as 503 no_origin. A real origin behind Warden needs the same (docs/metrics.md).
  server.keepAliveTimeout = 0;
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
  const actual = server.address().port;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${actual}`;
  return {
    url,
    port: actual,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function flag(name, fallback) {
  const i = process.argv.indexOf(name);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const origin = await startDemoOrigin({ port: Number(flag("--port", "0")), host: flag("--host", "127.0.0.1"), tokenDelayMs: Number(flag("--token-delay-ms", "0")) });
  console.log(`demo origin listening on ${origin.url}`);
  const stop = () => origin.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

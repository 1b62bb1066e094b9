/**
 * Sums `perf script` samples of the workerd process two ways, in ms of CPU per request (a
 * sample's share of the samples times the process's measured CPU per request):
 * - by event: which workerd event the sample's stack runs in (outermost match), e.g. the Worker's
 *   fetch handler, an RPC call handled in a Durable Object, an RPC reply resumed in its caller;
 * - by kind: what ran at the leaf (innermost match): JavaScript, V8's garbage collector, SQLite,
 *   gzip, memory allocation, the kernel, KJ/Cap'n Proto plumbing.
 * Stack frames come leaf first, as `perf script` prints them.
 */

// Outermost first: the first rule whose pattern is on the stack (searched from the root) names the event.
const EVENTS = [
  ["V8 background thread (GC, compile)", (s) => !s.main],
  ["response gzip (Miniflare's entry, as the edge does)", (s) => s.has(/GzipAsyncOutputStream|Cr_z_deflate/)],
  ["Durable Object: RPC call handled", (s) => s.has(/JsRpcTargetBase/)],
  ["Worker: JS resumed by an RPC reply (the pipeline after `acquire`; replies in waitUntil)", (s) => s.has(/awaitIoImpl<capnp::Response<workerd::rpc::JsRpcTarget::CallResults/)],
  ["Worker: RPC call sent", (s) => s.has(/JsRpcClientProvider|api::\(anonymous namespace\)::callImpl/)],
  ["Worker: JS resumed by the origin's answer (protection, response)", (s) => s.has(/fetchImplNoOutputLock\(.*\)::\$_3|awaitIoImpl<kj::HttpClient::Response/)],
  ["Worker: fetch handler (incoming request)", (s) => s.has(/WorkerEntrypoint::request/)],
  ["Durable Object: storage commit, output gate", (s) => s.has(/ActorSqlite|OutputGate|commitImpl/)],
  ["Worker or object: JS resumed by other I/O (body reads, timers)", (s) => s.has(/IoContext::runImpl/)],
  ["HTTP server / client (parse, write, sockets)", (s) => s.has(/kj::HttpServer|HttpClient|HttpOutputStream|HttpInputStream|AsyncIoStream|kj::\(anonymous namespace\)::AsyncStreamFd/)],
  ["microtasks, GC outside a request", (s) => s.has(/runMicrotasks|Heap::CollectGarbage|PumpMessageLoop/)],
  ["other", () => true],
];

// Innermost first: the first rule matching the leaf-most frame that any rule matches names the kind.
const KINDS = [
  ["kernel (syscalls, faults, scheduling)", /^\[k\]/],
  ["gzip", /deflate|Cr_z_|build_tree|fill_window|longest_match|compress_block/],
  ["SQLite", /sqlite3/],
  ["V8 GC", /v8::internal::(Heap|Scavenger|MarkCompact|MinorMarkSweep|ConcurrentMarking|Sweeper|MemoryAllocator|GlobalHandles|TracedHandles)|GlobalizeTracedReference|HeapTracer|detachWrapper/],
  ["memory allocation (tcmalloc, libc)", /tcmalloc|TCMalloc|malloc|^free$|operator new|operator delete|__memmove|__memset|__memcpy|__memcmp/],
  ["crypto (BoringSSL)", /fiat_|fe_|ge_|x25519|ed25519|sha256|SHA256|HMAC|aes|gcm_|bn_/i],
  ["JavaScript (JIT code, builtins, interpreter)", /^Builtins_|^\?\?|^\[unknown\]|^0x|^$/],
  ["V8 runtime (API callbacks, objects, strings)", /^v8::|^Runtime_/],
  ["workerd API bindings (Request, Response, Headers, RPC)", /workerd::(api|jsg)::/],
  ["KJ / Cap'n Proto (promises, RPC, HTTP)", /^kj::|^capnp::/],
  ["workerd other", /workerd::/],
  ["other native", /./],
];

/** Parses `perf script -F tid,ip,sym` (demangled): one sample per blank-line-separated block. */
export function parseSamples(text) {
  const samples = [];
  for (const block of text.split(/\n\s*\n/)) {
    const lines = block.split("\n").filter((l) => l.trim());
    if (lines.length === 0) continue;
    const tid = lines[0].trim().split(/\s+/)[0];
    const frames = lines.slice(1).map((l) => {
      const m = /^\s*([0-9a-f]+)\s+(.*)$/.exec(l);
      if (!m) return l.trim();
      // Kernel addresses sit in the top half of the address space.
      return m[1].length >= 16 && m[1].startsWith("ffff") ? `[k] ${m[2]}` : m[2].replace(/\+0x[0-9a-f]+$/, "");
    });
    samples.push({ tid, frames });
  }
  // The event-loop thread is the one with most samples.
  const counts = new Map();
  for (const s of samples) counts.set(s.tid, (counts.get(s.tid) ?? 0) + 1);
  const main = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  return samples.map((s) => ({ main: s.tid === main, frames: s.frames }));
}

function eventOf(sample) {
  const root = [...sample.frames].reverse();
  const view = { main: sample.main, has: (re) => root.some((f) => re.test(f)) };
  return EVENTS.find(([, test]) => test(view))[0];
}

function kindOf(sample) {
  for (const f of sample.frames) {
    const k = KINDS.find(([, re]) => re.test(f));
    if (k && k[0] !== "other native") return k[0];
  }
  return "other native";
}

// A JIT frame, a builtin or the interpreter: JavaScript (or a native call it made) is running.
const isJs = (f) => /^Builtins_|^\[unknown\]|^0x|^$/.test(f) && !/Builtins_(CEntry|JSEntry|CallApiCallback)/.test(f);

function table(title, sums, total, msPerReq) {
  const rows = [...sums].sort((a, b) => b[1] - a[1]);
  const lines = [`${title}, ms of workerd CPU per request (share of samples):`];
  for (const [name, n] of rows) lines.push(`  ${name.padEnd(58)} ${((n / total) * msPerReq).toFixed(3)}  (${((100 * n) / total).toFixed(1)}%)`);
  return lines.join("\n");
}

/** Two tables (by event, by kind) for samples of `perf script` text and the process's CPU ms per request. */
export function summarize(scriptText, msPerReq) {
  const samples = parseSamples(scriptText);
  const byEvent = new Map();
  const byKind = new Map();
  const byJs = new Map();
  for (const s of samples) {
    const j = s.frames.some(isJs) ? "JavaScript on the stack (what the V8 profiler sees)" : "runtime only (no JavaScript on the stack)";
    byJs.set(j, (byJs.get(j) ?? 0) + 1);
    const e = eventOf(s);
    const k = kindOf(s);
    byEvent.set(e, (byEvent.get(e) ?? 0) + 1);
    byKind.set(k, (byKind.get(k) ?? 0) + 1);
  }
  return `${samples.length} samples\n${table("by event", byEvent, samples.length, msPerReq)}\n${table("by kind", byKind, samples.length, msPerReq)}\n${table("JavaScript or not", byJs, samples.length, msPerReq)}`;
}

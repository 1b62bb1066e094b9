/**
 * workerd's own reports of a failed subrequest, as `npm start` passes wrangler's output through.
 * For an origin that cannot be resolved or whose TLS fails, workerd prints, per request, the
 * real cause three times (`✘ [ERROR] e = kj/…: failed: DNS lookup failed.; params.host = …`),
 * each followed by a line of code addresses (`stack: …/workerd@3577050 …`), and then
 * `Uncaught Error: internal error; reference = …` although Warden caught the error. Warden's own
 * `forward.origin_unreachable` line says the same in one line. This keeps the first cause line
 * (locally it is the most precise word on DNS vs TLS) and drops the repeats, the addresses and
 * the "Uncaught" report, and blank lines (wrangler puts runs of them around each report). Every
 * other line passes unchanged.
 */
const ANSI = /\x1b\[[0-9;]*m/g;

export function runtimeNoiseFilter() {
  let partial = "";
  let lastCause = "";
  const keep = (line) => {
    const plain = line.replace(ANSI, "");
    if (!plain.trim()) return false;
    if (/^\s*stack: \S*workerd@/.test(plain)) return false;
    if (/Uncaught Error: internal error; reference = \w+\s*$/.test(plain)) return false;
    if (/\[ERROR\]\s+e = kj\//.test(plain)) {
      if (plain === lastCause) return false;
      lastCause = plain;
      return true;
    }
    lastCause = "";
    return true;
  };
  /** Takes a chunk of output; returns the complete lines to show (a cut line waits for its end). */
  return (chunk) => {
    const lines = (partial + chunk).split("\n");
    partial = lines.pop() ?? "";
    const kept = lines.filter(keep);
    return kept.length ? `${kept.join("\n")}\n` : "";
  };
}

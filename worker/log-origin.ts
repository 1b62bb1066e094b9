/**
 * Why an origin could not be reached, in one word for the operator's log line
 * (`forward.origin_unreachable`), instead of the runtime's stack trace or a bare "Error".
 *
 * The runtime says less than the network knows, so this reads what it can:
 * - the per-origin timeout → `timeout`;
 * - workerd's messages: "DNS lookup failed" → `dns`, TLS/SSL/certificate → `tls`, "connection
 *   refused" → `connect`, "reset" → `reset`; "Network connection lost." (what local workerd
 *   reports for a refused connection and for one dropped before any answer alike) → `connect`;
 * - local workerd hides DNS and TLS failures behind "internal error; reference = …" (its own
 *   log has the detail): a TLS failure needs https and a DNS failure a host name, so the URL
 *   narrows it to `tls`, `dns` or, for an https host name, `dns_or_tls`;
 * - on Cloudflare an origin failure can come back as a response instead: 530 (DNS, error 1016)
 *   → `dns`, 521 (refused) → `connect`, 522/524 (timed out) → `timeout`, 525/526 (handshake,
 *   certificate) → `tls`, 520 (empty or reset answer) → `reset` (originStatusCause).
 */
export type OriginCause = "timeout" | "dns" | "connect" | "tls" | "reset" | "dns_or_tls" | "unknown";

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

export function originFailureCause(err: unknown, url: string, timedOut: boolean): OriginCause {
  if (timedOut || (err as Error | null)?.name === "TimeoutError") return "timeout";
  const message = String((err as Error | null)?.message ?? "");
  if (/dns|name not resolved|getaddrinfo|ENOTFOUND|name or service not known/i.test(message)) return "dns";
  if (/tls|ssl|certificate|handshake/i.test(message)) return "tls";
  if (/refused|ECONNREFUSED|connect\(\)/i.test(message)) return "connect";
  if (/reset|ECONNRESET|EPIPE|prematurely/i.test(message)) return "reset";
  if (/connection lost|network/i.test(message)) return "connect";
  if (/internal error/i.test(message)) {
    let host = "";
    let https = false;
    try {
      const u = new URL(url);
      host = u.hostname;
      https = u.protocol === "https:";
    } catch {
      return "unknown";
    }
    const literal = IPV4.test(host) || host.startsWith("[");
    if (literal) return https ? "tls" : "unknown";
    return https ? "dns_or_tls" : "dns";
  }
  return "unknown";
}

/** Cloudflare's 52x/530 answers for origins it could not reach; undefined for any other status. */
export function originStatusCause(status: number): OriginCause | undefined {
  switch (status) {
    case 530:
      return "dns";
    case 521:
      return "connect";
    case 522:
    case 524:
      return "timeout";
    case 525:
    case 526:
      return "tls";
    case 520:
      return "reset";
    default:
      return undefined;
  }
}

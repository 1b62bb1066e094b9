import * as ipaddr from "ipaddr.js";

/**
 * Which URLs Warden may call (origins, JWKS) and which media URLs it lets a client hand to an
 * origin (SSRF into the operator's network or a cloud metadata service).
 *
 * Hosts are compared in canonical form, never as the client spelled them: the WHATWG URL parser
 * already turns `2130706433`, `0x7f.1` and `0177.0.0.1` into `127.0.0.1` and compresses IPv6;
 * trailing dots are dropped (`localhost.` is `localhost`), and addresses are classified by
 * ipaddr.js, which carries IANA's special-purpose registries. Refused:
 * - every IPv4 address ipaddr.js does not call `unicast` (private, CGNAT, link-local,
 *   metadata 169.254.169.254, benchmarking, documentation, reserved, multicast, …);
 * - every IPv6 address outside global unicast 2000::/3 or in a special range inside it:
 *   this covers IPv4-mapped and -compatible forms, NAT64 64:ff9b::/96, 6to4 2002::/16,
 *   Teredo, unique-local, link-local, site-local fec0::/10 and multicast;
 * - host names that only resolve inside a network: single labels (`metadata`, `instance-data`),
 *   reserved suffixes (`.internal`, `.local`, `.localdomain`, `.home.arpa`, …), known metadata
 *   names, and names that spell a refused address (`169-254-169-254.sslip.io`).
 * Loopback (`127.0.0.0/8`, `::1`, `localhost`) is admitted only with `allowLoopback`
 * (ALLOW_LOOPBACK_ORIGINS="true", for local development), and only there is plain http allowed.
 *
 * What this cannot see: a public name whose DNS answer is private. Cloudflare's own fetch refuses
 * to connect to private and loopback addresses, which closes that gap in production.
 */
export type UrlVerdict = { ok: true } | { ok: false; reason: string };

export function checkOutboundUrl(raw: string, allowLoopback: boolean): UrlVerdict {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: "not a URL" };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, reason: "only https is allowed" };
  if (url.username || url.password) return { ok: false, reason: "credentials in URLs are not allowed; use origin headers" };
  const host = canonicalHost(url.hostname);
  const kind = classifyHost(host);
  if (kind === "loopback") {
    return allowLoopback ? { ok: true } : { ok: false, reason: "loopback addresses are not allowed (ALLOW_LOOPBACK_ORIGINS is not \"true\")" };
  }
  if (kind !== "public") return { ok: false, reason: REASONS[kind] };
  if (url.protocol !== "https:") return { ok: false, reason: "only https is allowed for non-loopback hosts" };
  return { ok: true };
}

export type HostKind = "public" | "loopback" | "special_address" | "internal_name";

const REASONS: Record<Exclude<HostKind, "public" | "loopback">, string> = {
  special_address: "private, link-local, reserved and other special-purpose addresses are not allowed",
  internal_name: "host names that resolve only inside a network (single labels, .internal, .local, metadata names) are not allowed",
};

/** Lower case, no IPv6 brackets, no trailing dots: the form every rule below compares. */
export function canonicalHost(hostname: string): string {
  return hostname.toLowerCase().replace(/^\[|\]$/g, "").replace(/\.+$/, "");
}

export function classifyHost(host: string): HostKind {
  if (ipaddr.isValid(host)) return classifyAddress(ipaddr.parse(host));
  if (host === "localhost" || host.endsWith(".localhost")) return "loopback";
  if (!host.includes(".") || INTERNAL_NAMES.has(host) || INTERNAL_SUFFIXES.some((s) => host.endsWith(s))) return "internal_name";
  if (spellsSpecialAddress(host)) return "internal_name";
  return "public";
}

function classifyAddress(addr: ipaddr.IPv4 | ipaddr.IPv6): HostKind {
  const range = addr.range();
  if (range === "loopback") return "loopback";
  if (range !== "unicast") return "special_address";
  if (addr.kind() === "ipv6" && !addr.match(GLOBAL_UNICAST_V6)) return "special_address";
  return "public";
}

const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR("2000::/3");

/** Names that reach a cloud's metadata service or the local network, whatever DNS says elsewhere. */
const INTERNAL_NAMES = new Set([
  "metadata.google.internal", "metadata.goog", "metadata.tencentyun.com", "metadata.platformequinix.com",
  "instance-data.ec2.internal", "localhost.localdomain", "kubernetes.default.svc",
]);

/** Suffixes reserved for private use (RFC 6761, RFC 6762, RFC 8375, ICANN's .internal) or common in LANs. */
const INTERNAL_SUFFIXES = [
  ".internal", ".local", ".localdomain", ".home.arpa", ".arpa", ".lan", ".intranet", ".corp", ".home", ".private",
  ".invalid", ".onion", ".svc", ".cluster.local",
];

/**
 * Wildcard DNS services answer `10.0.0.1.nip.io` or `169-254-169-254.sslip.io` with the address
 * the name spells: a name that spells a refused address is refused with it.
 */
function spellsSpecialAddress(host: string): boolean {
  for (const m of host.matchAll(/(?:^|[.-])(\d{1,3})[.-](\d{1,3})[.-](\d{1,3})[.-](\d{1,3})(?=$|[.-])/g)) {
    const text = `${m[1]}.${m[2]}.${m[3]}.${m[4]}`;
    if (ipaddr.IPv4.isValidFourPartDecimal(text) && classifyAddress(ipaddr.IPv4.parse(text)) !== "public") return true;
  }
  return false;
}

/**
 * Which URLs Warden may call (origins, JWKS). Production refuses loopback, link-local and
 * private addresses (SSRF into the operator's network); `ALLOW_LOOPBACK_ORIGINS=true` admits
 * http(s)://127.0.0.1 and localhost for local development, nothing more. Plain http is only
 * accepted for those loopback hosts.
 */
export type UrlVerdict = { ok: true } | { ok: false; reason: string };

export function checkOutboundUrl(raw: string, allowLoopback: boolean): UrlVerdict {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: "not a URL" };
  }
  if (url.username || url.password) return { ok: false, reason: "credentials in URLs are not allowed; use origin headers" };
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, "");
  if (isLoopback(host)) {
    return allowLoopback ? { ok: true } : { ok: false, reason: "loopback addresses are not allowed (ALLOW_LOOPBACK_ORIGINS is not \"true\")" };
  }
  if (isPrivateOrLinkLocal(host)) return { ok: false, reason: "private, link-local and unspecified addresses are not allowed" };
  if (url.protocol !== "https:") return { ok: false, reason: "only https is allowed for non-loopback hosts" };
  return { ok: true };
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host.endsWith(".localhost") || /^127\.\d+\.\d+\.\d+$/.test(host) || host === "::1";
}

function isPrivateOrLinkLocal(host: string): boolean {
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return a === 0 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) ||
      (a === 100 && b >= 64 && b <= 127) || a >= 224;
  }
  if (host.includes(":")) {
    // IPv6: unspecified, unique-local fc00::/7, link-local fe80::/10, and IPv4-mapped forms.
    return host === "::" || /^f[cd]/.test(host) || /^fe[89ab]/.test(host) || host.startsWith("::ffff:");
  }
  return host.endsWith(".internal") || host.endsWith(".local");
}

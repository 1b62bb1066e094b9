import { describe, expect, it } from "vitest";
import { checkOutboundUrl } from "../../../worker/auth/outbound-url";

/**
 * Issue 8, item 12: every spelling of a special-purpose address or an internal name is refused,
 * in production and with loopback origins allowed alike (only true loopback is let through then).
 */
const REFUSED: Array<[string, string]> = [
  // Trailing dots and internal names.
  ["https://metadata.google.internal./computeMetadata/v1/", "GCP metadata, trailing dot"],
  ["https://metadata/", "single-label metadata name"],
  ["https://instance-data/latest/", "single-label AWS metadata name"],
  ["https://instance-data.ec2.internal/", "AWS metadata name"],
  ["https://metadata.tencentyun.com/", "Tencent metadata name"],
  ["https://localhost.localdomain/", "localhost.localdomain"],
  ["https://gpu.internal/", "*.internal"],
  ["https://printer.local/", "*.local"],
  ["https://nas.home.arpa/", "*.home.arpa"],
  ["https://1.0.0.127.in-addr.arpa/", "reverse DNS name"],
  ["https://169.254.169.254.nip.io/", "wildcard DNS spelling the metadata address"],
  ["https://10-0-0-1.sslip.io/", "wildcard DNS spelling a private address"],
  // IPv4 in every spelling the URL parser accepts.
  ["https://2852039166/", "decimal 169.254.169.254"],
  ["https://0xa9fea9fe/", "hex 169.254.169.254"],
  ["https://169.254.169.254/latest/meta-data", "link-local metadata"],
  ["https://100.100.100.200/", "Alibaba metadata (CGNAT)"],
  ["https://192.0.0.170/", "IANA 192.0.0.0/24"],
  ["https://192.0.2.1/", "TEST-NET-1"],
  ["https://198.18.0.1/", "benchmarking"],
  ["https://192.88.99.1/", "6to4 relay anycast"],
  ["https://240.0.0.1/", "reserved 240/4"],
  ["https://255.255.255.255/", "broadcast"],
  ["https://224.0.0.1/", "multicast"],
  ["https://0.0.0.0/", "unspecified"],
  ["https://10.1.2.3/", "private 10/8"],
  ["https://172.16.0.1/", "private 172.16/12"],
  ["https://192.168.1.1/", "private 192.168/16"],
  // IPv6 forms that embed or stand for a private address.
  ["https://[::ffff:127.0.0.1]/", "IPv4-mapped loopback"],
  ["https://[::ffff:7f00:1]/", "IPv4-mapped loopback, hex"],
  ["https://[::ffff:169.254.169.254]/", "IPv4-mapped metadata"],
  ["https://[::127.0.0.1]/", "IPv4-compatible loopback"],
  ["https://[64:ff9b::a9fe:a9fe]/", "NAT64 metadata"],
  ["https://[64:ff9b:1::a00:1]/", "local-use NAT64"],
  ["https://[2002:a9fe:a9fe::]/", "6to4 metadata"],
  ["https://[2001::1]/", "Teredo"],
  ["https://[2001:db8::1]/", "documentation"],
  ["https://[fec0::1]/", "site-local"],
  ["https://[fd00::1]/", "unique-local"],
  ["https://[fe80::1]/", "link-local"],
  ["https://[ff02::1]/", "multicast"],
  ["https://[::]/", "unspecified"],
  ["https://[100::1]/", "discard-only"],
  ["https://[fd00:ec2::254]/", "AWS IMDS over IPv6"],
  // Schemes and credentials.
  ["http://gpu.example/", "plain http to a public host"],
  ["ftp://gpu.example/", "not http(s)"],
  ["https://user:pw@gpu.example/", "credentials"],
  ["not a url", "not a URL"],
];

describe("checkOutboundUrl: special-purpose addresses and internal names", () => {
  it.each(REFUSED)("refuses %s (%s) in production and with loopback allowed", (url) => {
    expect(checkOutboundUrl(url, false).ok).toBe(false);
    expect(checkOutboundUrl(url, true).ok).toBe(false);
  });

  it.each([
    "http://127.0.0.1:8000/", "http://localhost:8000/", "http://localhost.:8000/", "http://[::1]:8000/", "http://2130706433:8000/",
    "http://api.localhost:8000/", "https://localhost./", "https://2130706433/", "https://0x7f.1/", "https://0177.0.0.1/",
  ])("treats %s as loopback: refused in production, admitted when allowed", (url) => {
    expect(checkOutboundUrl(url, false)).toEqual({ ok: false, reason: expect.stringContaining("loopback") });
    expect(checkOutboundUrl(url, true).ok).toBe(true);
  });

  it.each([
    "https://gpu-a.example/", "https://api.openai.com/v1", "https://8.8.8.8/", "https://[2606:4700:4700::1111]/",
    "https://gpu.example.:8443/", "https://a1.b2.c3.d4.example/",
  ])("accepts the public https URL %s", (url) => {
    expect(checkOutboundUrl(url, false).ok).toBe(true);
  });
});

import { describe, expect, it } from "vitest";
import { checkOutboundUrl } from "../../../worker/auth/outbound-url";

describe("checkOutboundUrl", () => {
  it.each([
    "https://gpu-a.example", "https://gpu.example:8443/api", "https://8.8.8.8/v1",
  ])("accepts the public https origin %s", (url) => {
    expect(checkOutboundUrl(url, false).ok).toBe(true);
  });

  it.each([
    "http://gpu.example", "https://10.1.2.3", "https://172.16.0.1", "https://172.31.255.255", "https://192.168.1.1",
    "https://169.254.169.254/latest/meta-data", "https://100.64.0.1", "https://0.0.0.0", "https://[fd00::1]", "https://[fe80::1]",
    "https://[::ffff:127.0.0.1]", "https://metadata.google.internal", "https://printer.local", "https://user:pw@gpu.example", "not a url",
    "http://127.0.0.1:8000", "http://localhost:8000", "http://[::1]:8000",
  ])("refuses %s in production", (url) => {
    expect(checkOutboundUrl(url, false).ok).toBe(false);
  });

  it("admits loopback, and nothing else new, when loopback origins are allowed", () => {
    expect(checkOutboundUrl("http://127.0.0.1:8000", true).ok).toBe(true);
    expect(checkOutboundUrl("http://localhost:8000/x", true).ok).toBe(true);
    expect(checkOutboundUrl("http://10.0.0.1:8000", true).ok).toBe(false);
    expect(checkOutboundUrl("http://gpu.example", true).ok).toBe(false);
  });
});

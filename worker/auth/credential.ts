/**
 * The credential a request presents, shared by the data and admin planes: a Bearer token, else
 * `x-api-key` (the Anthropic SDK's header). "" is a malformed Authorization header (refused as
 * invalid, not as missing); null is no credential at all.
 */
export function credentialFrom(req: Request): string | null {
  const auth = req.headers.get("authorization");
  if (auth) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    return m ? m[1]! : "";
  }
  const key = req.headers.get("x-api-key");
  return key === null ? null : key.trim();
}

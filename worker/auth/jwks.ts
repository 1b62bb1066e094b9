import { createRemoteJWKSet, type JWTVerifyGetKey } from "jose";

/**
 * Remote key sets (tenant `jwks_url`, ADMIN_JWKS_URL), one per URL for the isolate's lifetime, so
 * one JWKS fetch serves many requests and the admin and data planes share a set when they name the
 * same URL. The caching is jose's own: a set is refetched once `cacheMaxAge` has passed, and a
 * token whose `kid` is unknown refetches it at most once per `cooldownDuration` (a rotated key is
 * picked up without letting unknown `kid`s drive a fetch per request). The values are written here
 * rather than left to jose's defaults because they bound how long a removed key keeps verifying.
 * Callers check the URL against worker/auth/outbound-url.ts first.
 */
const OPTIONS = { timeoutDuration: 5_000, cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 } as const;

const sets = new Map<string, JWTVerifyGetKey>();

export function remoteJwks(url: string): JWTVerifyGetKey {
  let set = sets.get(url);
  if (!set) {
    set = createRemoteJWKSet(new URL(url), OPTIONS);
    sets.set(url, set);
  }
  return set;
}

import { createLocalJWKSet, createRemoteJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from "jose";
import { boundedMemo } from "../memo";

/**
 * The isolate's JWT key sets, one cache for both kinds, so a verification does not rebuild one.
 *
 * Remote sets (tenant `jwks_url`, ADMIN_JWKS_URL): one per URL, so one JWKS fetch serves many
 * requests and the admin and data planes share a set when they name the same URL. The caching is
 * jose's own: a set is refetched once `cacheMaxAge` has passed, and a token whose `kid` is unknown
 * refetches it at most once per `cooldownDuration` (a rotated key is picked up without letting
 * unknown `kid`s drive a fetch per request). The values are written here rather than left to
 * jose's defaults because they bound how long a removed key keeps verifying. Past MAX_REMOTE_SETS
 * URLs the table starts over: a set made again fetches again, nothing else changes. Callers check
 * the URL against worker/auth/outbound-url.ts first.
 *
 * Inline sets (a tenant's `jwks`): jose's local set snapshots the keys and keeps each imported
 * key, so it is kept per key-set object. The isolate's tenant cache (worker/auth/tenant-cache.ts)
 * hands cached admissions the same document, hence the same set; a document read afresh makes a
 * set of its own, and a set goes with the document that held it (weakly held).
 */
const OPTIONS = { timeoutDuration: 5_000, cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 } as const;

export const MAX_REMOTE_SETS = 256;
const remoteSets = boundedMemo<string, JWTVerifyGetKey>(MAX_REMOTE_SETS);

export function remoteJwks(url: string): JWTVerifyGetKey {
  return remoteSets(url, () => createRemoteJWKSet(new URL(url), OPTIONS));
}

const localSets = new WeakMap<JSONWebKeySet, JWTVerifyGetKey>();

export function localJwks(jwks: JSONWebKeySet): JWTVerifyGetKey {
  let set = localSets.get(jwks);
  if (!set) {
    set = createLocalJWKSet(jwks);
    localSets.set(jwks, set);
  }
  return set;
}

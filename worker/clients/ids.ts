/**
 * Durable Object ids by name, per isolate: `getByName`/`idFromName` derive the id from the name on
 * every call (a keyed hash; ~0.01–0.02 ms a call in the request-path profile), and the request
 * path addresses the same few principals' objects over and over. An id is plain data, valid in
 * any request; stubs are not, so they are made per call (`ns.get(id)`).
 */
import { boundedMemo } from "../memo";

interface Namespace {
  idFromName(name: string): DurableObjectId;
}

const IDS = new WeakMap<Namespace, (name: string, derive: () => DurableObjectId) => DurableObjectId>();
/** Names kept per namespace; past it the memo starts over (a tenant with more active principals pays the hash again). */
const MAX_IDS = 4096;

export function idFor(ns: Namespace, name: string): DurableObjectId {
  let ids = IDS.get(ns);
  if (!ids) IDS.set(ns, (ids = boundedMemo<string, DurableObjectId>(MAX_IDS)));
  return ids(name, () => ns.idFromName(name));
}

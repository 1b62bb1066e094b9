import type { Bindings } from "../env";
import { TENANT_ID } from "../config/tenant";
import { directoryObject } from "../clients/directory";

/**
 * Whether a tenant exists, asked before anything addresses its Durable Object: addressing an
 * object creates it, so a request for a random tenant id must stop here (issue 8 #7).
 *
 * Only "exists" is cached, per isolate. That answer cannot go wrong in a way that matters: the
 * tenant's own object stays the authority (a deleted tenant's object answers "no tenant" at once,
 * and the caller then forgets the id), and a deleted tenant's object existed anyway. "Does not
 * exist" is never cached: a tenant created through any isolate must work at once in every other,
 * and a cached refusal would also answer faster than a lookup and so tell which ids were tried.
 * Unknown ids therefore cost one directory read each (an indexed primary-key lookup).
 */
const MAX_REMEMBERED = 10_000;
const remembered = new Set<string>();

export async function tenantExists(env: Pick<Bindings, "DIRECTORY">, id: string): Promise<boolean> {
  if (!TENANT_ID.test(id)) return false;
  if (remembered.has(id)) return true;
  const exists = await directoryObject(env).exists(id);
  if (exists) rememberTenant(id);
  return exists;
}

export function rememberTenant(id: string): void {
  // A Set keeps insertion order: when full, the oldest id goes. It is looked up again when next used.
  if (remembered.size >= MAX_REMEMBERED) remembered.delete(remembered.values().next().value!);
  remembered.add(id);
}

/** After a deletion, or when a tenant's object says it holds no tenant. */
export function forgetTenant(id: string): void {
  remembered.delete(id);
}

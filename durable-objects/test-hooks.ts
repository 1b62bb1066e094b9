import type { PrincipalStatus, TenantStatus } from "./signals";

/**
 * What tests need from inside a Durable Object, kept off its RPC surface (issue 11 #4): every
 * public method of a Durable Object class can be called by anything holding the binding, and a
 * symbol-keyed method broke `runInDurableObject`. Each object registers closures over its private
 * state here in its constructor; tests reach them with `runInDurableObject(stub, (o) => ….of(o))`
 * (test/helpers/object-hooks.ts). Nothing under worker/ reads them (test/unit/config/rpc-surface.test.ts).
 */
export interface SignalsHooks {
  /** Waits until every forwarded observation has reached the tenant object, and writes what waits behind. */
  flush(): Promise<void>;
  /** The principal role's signals; null in a tenant object or before anything was observed. */
  principal(): PrincipalStatus | null;
  /** The tenant role's view; null in a principal's object or before anything was ingested. */
  tenant(): TenantStatus | null;
}

export interface BudgetHooks {
  /** Tenant-wide pools: free units and units out on lease, per resource. */
  pools(): Array<{ res: string; limit: number; free: number; leased: number }>;
}

function hookTable<H extends object>(kind: string) {
  const table = new WeakMap<object, H>();
  return {
    register(instance: object, hooks: H): void {
      table.set(instance, hooks);
    },
    of(instance: object): H {
      const hooks = table.get(instance);
      if (!hooks) throw new Error(`no ${kind} test hooks on this object`);
      return hooks;
    },
  };
}

export const signalsHooks = hookTable<SignalsHooks>("SignalsObject");
export const budgetHooks = hookTable<BudgetHooks>("BudgetObject");

import { expect } from "vitest";
import { SELF } from "cloudflare:test";

/** An SDK's `fetch` option that reaches the Worker's real fetch handler (the SDK runs inside workerd). */
export const viaWorker = (url: unknown, init: unknown) => SELF.fetch(url as string, init as RequestInit);

/** What `p` rejects with, checked to be an instance of `type` (an SDK's error class). */
export async function rejection<C extends abstract new (...args: never[]) => unknown>(p: Promise<unknown>, type: C): Promise<InstanceType<C>> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(type);
  return err as InstanceType<C>;
}

/// <reference types="node" />
/**
 * vitest globalSetup for the integration and screening projects: starts two test origins
 * (origin-server.ts; the second one for failover) and finds a loopback port where nothing
 * listens (connect errors), and hands their URLs to the Worker's bindings through `provide`.
 */
import type { TestProject } from "vitest/node";
import type { JWK } from "jose";
import { startTestOrigin, unusedLoopbackUrl } from "./origin-server";
import { startJwksServer } from "./jwks-server";

declare module "vitest" {
  export interface ProvidedContext {
    /** Test origin "origin-1": demo models plus the test prefixes of origin-server.ts. */
    originUrl: string;
    /** Test origin "origin-2": the same, a separate server with its own counters. */
    originUrl2: string;
    /** A loopback URL where nothing listens. */
    originDownUrl: string;
    /** A JWKS server: `${jwksBase}/jwks.json`, fetch count at `${jwksBase}/stats`. */
    jwksBase: string;
    /** The private key (ES256, kid "test-remote") whose public half the JWKS server serves. */
    jwksPrivateJwk: JWK;
  }
}

export default async function setup({ provide }: TestProject): Promise<() => Promise<void>> {
  const first = await startTestOrigin({ name: "origin-1" });
  const second = await startTestOrigin({ name: "origin-2" });
  provide("originUrl", first.url);
  provide("originUrl2", second.url);
  provide("originDownUrl", await unusedLoopbackUrl());
  const jwks = await startJwksServer();
  provide("jwksBase", jwks.url);
  provide("jwksPrivateJwk", jwks.privateJwk);
  return async () => {
    await Promise.all([first.close(), second.close(), jwks.close()]);
  };
}

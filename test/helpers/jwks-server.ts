/// <reference types="node" />
/**
 * A JWKS endpoint on 127.0.0.1 for the `jwks_url` tests: serves the public half of an ES256 key
 * generated at setup and counts fetches, so a test can see the key set is cached across requests.
 * The private JWK goes to the tests through `provide`, to sign tokens inside workerd.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, type JWK } from "jose";

export interface JwksServer {
  url: string;
  privateJwk: JWK;
  close(): Promise<void>;
}

export async function startJwksServer(): Promise<JwksServer> {
  const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true });
  const pub = { ...(await exportJWK(publicKey)), kid: "test-remote", alg: "ES256", use: "sig" };
  const privateJwk = { ...(await exportJWK(privateKey)), kid: "test-remote", alg: "ES256" };
  let fetches = 0;
  const server = createServer((req, res) => {
    if (req.url === "/jwks.json") {
      fetches++;
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [pub] }));
    } else if (req.url === "/stats") {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ fetches }));
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    privateJwk,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

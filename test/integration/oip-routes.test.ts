import { describe, expect, it } from "vitest";
import { env } from "cloudflare:test";
import { bearer, call, createTenant, issueKey, json, problem } from "../helpers/warden";
import type { EchoBody } from "../helpers/origin-server";
import { version } from "../../package.json";

/**
 * Issue 12 item 4: the OIP routes clients call besides the unversioned ones — `GET /v2` (server
 * metadata, Warden's own) and the `/versions/{version}` forms of model metadata, ready and infer,
 * run through the same stages as the unversioned ones; a version the origin does not serve is a
 * clear problem, not a bare 404. The demo origin serves version "1" of "digits" only.
 */
const DIGITS_INPUT = { name: "input-0", datatype: "FP32", shape: [-1, 64], min: 0, max: 16 };
const digits = (extra: Record<string, unknown> = {}) => ({
  name: "digits", protocol: "oip", origins: [{ url: env.ORIGIN_URL }], inputs: [DIGITS_INPUT],
  outputs: [{ name: "probabilities", kind: "probabilities" }], protection: { probabilities: { mode: "laplace", epsilon: 20 } }, ...extra,
});
const echo = { name: "m", protocol: "oip", origins: [{ url: `${env.ORIGIN_URL}/echo` }] };
const row = Array.from({ length: 64 }, (_, i) => (i * 7) % 17);
const inferBody = { inputs: [{ name: "input-0", datatype: "FP32", shape: [1, 64], data: row }] };

type Infer = { outputs: Array<{ name: string; data: number[] }> };

async function setup() {
  const { id } = await createTenant({ models: [digits(), echo, { ...digits(), name: "other" }] });
  const { key } = await issueKey(id, { name: "k", scopes: ["digits", "m"] });
  return { id, auth: bearer(key) };
}

describe("OIP server metadata and versioned model routes", () => {
  it("answers GET /v2 itself, to authenticated clients only", async () => {
    const { id, auth } = await setup();
    const res = await call(`/t/${id}/v2`, { headers: auth });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ name: "warden", version, extensions: [] });
    expect((await call(`/t/${id}/v2`)).status).toBe(401);
  });

  it("runs a versioned infer through every stage: the same protected answer as unversioned, not the origin's", async () => {
    const { id, auth } = await setup();
    const res = await call(`/t/${id}/v2/models/digits/versions/1/infer`, json(inferBody, auth));
    expect(res.status).toBe(200);
    const timing = res.headers.get("server-timing") ?? "";
    for (const stage of ["auth", "validate", "budget", "screen", "origin", "protect"]) expect(timing).toContain(`${stage};dur=`);
    const versioned = ((await res.json()) as Infer).outputs[0]!.data;
    const plain = ((await (await call(`/t/${id}/v2/models/digits/infer`, json(inferBody, auth))).json()) as Infer).outputs[0]!.data;
    const raw = ((await (await fetch(`${env.ORIGIN_URL}/v2/models/digits/versions/1/infer`, json(inferBody))).json()) as Infer).outputs[0]!.data;
    expect(versioned).toEqual(plain);
    expect(versioned).not.toEqual(raw);
  });

  it("checks a versioned infer's inputs and scopes as the unversioned route does", async () => {
    const { id, auth } = await setup();
    const bad = await call(`/t/${id}/v2/models/digits/versions/1/infer`, json({ inputs: [{ name: "input-0", datatype: "FP32", shape: [1, 64], data: row.map(() => 99) }] }, auth));
    expect(bad.status).toBe(400);
    expect((await problem(bad)).detail).toContain("above its maximum");
    const forbidden = await call(`/t/${id}/v2/models/other/versions/1/infer`, json(inferBody, auth));
    expect(forbidden.status).toBe(403);
    expect((await problem(forbidden)).code).toBe("forbidden");
    const unknown = await call(`/t/${id}/v2/models/nope/versions/1`, { headers: auth });
    expect((await problem(unknown)).detail).toBe("No such model for this tenant.");
  });

  it("passes versioned metadata and ready of a served version, and forwards the path as given", async () => {
    const { id, auth } = await setup();
    const meta = await call(`/t/${id}/v2/models/digits/versions/1`, { headers: auth });
    expect(meta.status).toBe(200);
    expect(await meta.json()).toMatchObject({ name: "digits", versions: ["1"] });
    expect((await call(`/t/${id}/v2/models/digits/versions/1/ready`, { headers: auth })).status).toBe(200);
    const echoed = (await (await call(`/t/${id}/v2/models/m/versions/v2.1-rc_3/infer`, json(inferBody, auth))).json()) as EchoBody;
    expect(echoed.path).toBe("/v2/models/m/versions/v2.1-rc_3/infer");
  });

  it("refuses a version the origin does not serve with a problem naming it, without the origin's body", async () => {
    const { id, auth } = await setup();
    for (const [path, init] of [
      ["/v2/models/digits/versions/2", { headers: auth }],
      ["/v2/models/digits/versions/2/ready", { headers: auth }],
      ["/v2/models/digits/versions/2/infer", json(inferBody, auth)],
    ] as const) {
      const res = await call(`/t/${id}${path}`, init);
      expect(res.status, path).toBe(404);
      const body = await problem(res);
      expect(body.code).toBe("not_found");
      expect(body.detail).toBe("The origin of model 'digits' does not serve version '2' of it.");
      expect(JSON.stringify(body)).not.toContain("is not found");
    }
  });

  it("refuses versions that could name another path at the origin", async () => {
    const { id, auth } = await setup();
    // (`%2E%2E` never arrives: the URL parser resolves it as `..`, as it does `..` itself.)
    for (const v of [".env", "a%2Fb", "%252F", "-1", "x".repeat(65)]) {
      const res = await call(`/t/${id}/v2/models/m/versions/${v}/infer`, json(inferBody, auth));
      expect(res.status, v).toBe(400);
      expect(((await problem(res)) as unknown as { errors: Array<{ path: string }> }).errors[0]!.path).toBe("version");
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "cloudflare:test";
import { FuzzJudge } from "../../helpers/fuzz-check";
import { nestedArray, nestedObject } from "../../helpers/fuzz-corpus";
import { fuzzWorld, type FuzzWorld } from "../../helpers/fuzz-setup";
import { ADMIN, bearer, chatModel, issueKey, uniqueTenantId } from "../../helpers/warden";
import type { EchoBody } from "../../helpers/origin-server";

/**
 * Regressions: the inputs with which the fuzz tests once made Warden answer 500 (or forward to
 * the wrong path), one test each. Fixed: double percent-decoding of principal names, control
 * characters in JWT subjects and origin header values, bodies nested 10,000 levels deep,
 * undecodable base64 embeddings, fractional page limits, percent-encoded tenant ids.
 */
const judge = new FuzzJudge();
let w: FuzzWorld;
const admin = (method: string, body?: string): RequestInit => ({
  method,
  headers: { ...ADMIN, ...(body === undefined ? {} : { "content-type": "application/json" }) },
  ...(body === undefined ? {} : { body }),
});

beforeAll(async () => {
  judge.start();
  w = await fuzzWorld(judge);
});
afterAll(() => judge.stop());

describe("fuzz regressions", () => {
  it("B1: resetting a principal whose name holds a lone % is a 404 or 204, not a 500", async () => {
    await judge.send({ label: "B1", path: `/admin/v1/tenants/${w.id}/principals/key%3A%25/reset`, init: admin("POST") });
    judge.assertClean();
  });

  it("B1b: the principal named in the path is the one reset (no second percent-decoding)", async () => {
    // "sub:a%41" sent encoded; after one decoding it is sub:a%41, after the second sub:aA.
    const o = await judge.send({ label: "B1b", path: `/admin/v1/tenants/${w.id}/principals/${encodeURIComponent("sub:a%41")}/reset`, init: admin("POST") });
    expect(o?.status).toBe(204);
    const audit = JSON.parse((await judge.send({ label: "audit", path: `/admin/v1/tenants/${w.id}/audit`, init: admin("GET") }))!.text) as { items: Array<{ principal: string; reason: string }> };
    expect(audit.items.find((i) => i.reason === "extraction state reset")?.principal).toBe("sub:a%41");
  });

  it("B2: a validly signed JWT whose sub holds a newline or NUL is not a 500", async () => {
    for (const sub of ["a\nb", "a\rb", "a\u0000b"]) {
      const token = await w.jwt({ sub });
      await judge.send({ label: `B2 sub ${JSON.stringify(sub)}`, path: `/t/${w.id}/v1/chat/completions`, init: { method: "POST", headers: { ...bearer(token), "content-type": "application/json" }, body: JSON.stringify({ model: "chat", messages: [{ role: "user", content: "hi" }], max_tokens: 3 }) } });
    }
    judge.assertClean();
  });

  it("B3: OIP data nested 10 000 arrays deep is a 400, not a 500", async () => {
    const body = `{"inputs":[{"name":"input-0","datatype":"FP32","shape":[1,64],"data":${nestedArray(10_000)}}]}`;
    await judge.send({ label: "B3", path: `/t/${w.id}/v2/models/digits/infer`, init: { method: "POST", headers: { ...bearer(w.key), "content-type": "application/json" }, body } });
    judge.assertClean();
  });

  it("B4: a merge patch nested 10 000 objects deep is a 400, not a 500", async () => {
    await judge.send({ label: "B4", path: `/admin/v1/tenants/${w.id}`, init: admin("PATCH", `{"name":${nestedObject(10_000)}}`) });
    judge.assertClean();
  });

  it("B5: a label-watermark verification with an input nested 10 000 deep is not a 500", async () => {
    const body = `{"kind":"labels","model":"digits","answers":[{"input":${nestedArray(10_000)},"label":1}]}`;
    await judge.send({ label: "B5", path: `/admin/v1/tenants/${w.id}/watermark/verify`, init: admin("POST", body) });
    judge.assertClean();
  });

  it("B6: an embedding given as a string that is not base64 float32 is a 400, not a 500", async () => {
    const statuses: number[] = [];
    for (const embedding of ["<script>", "AAA=", "\u0000"]) {
      const o = await judge.send({ label: `B6 ${JSON.stringify(embedding)}`, path: `/admin/v1/tenants/${w.id}/watermark/verify`, init: admin("POST", JSON.stringify({ kind: "embeddings", model: "emb", items: [{ embedding }] })) });
      statuses.push(o?.status ?? 0);
    }
    judge.assertClean();
    expect(statuses).toEqual([400, 400, 400]);
  });

  it("B7: an origin header value that cannot be sent is refused when stored, not a 500 on every later request", async () => {
    const id = uniqueTenantId("hdr");
    const created = await judge.send({ label: "B7 create", path: "/admin/v1/tenants", init: admin("POST", JSON.stringify({ id, name: "x", models: [chatModel("chat", "", { origins: [{ url: env.ORIGIN_URL, headers: { "x-k": "a\nb" } }] })] })) });
    if (created?.status === 201) {
      const key = await issueKey(id);
      await judge.send({ label: "B7 forward", path: `/t/${id}/v1/chat/completions`, init: { method: "POST", headers: { ...bearer(key.key), "content-type": "application/json" }, body: JSON.stringify({ model: "chat", messages: [{ role: "user", content: "hi" }], max_tokens: 3 }) } });
    }
    judge.assertClean();
    expect(created?.status).toBe(400);
  });

  it("B8: listing tenants with a fractional limit is not a 500", async () => {
    await judge.send({ label: "B8", path: "/admin/v1/tenants?limit=1.5", init: admin("GET") });
    judge.assertClean();
  });

  it("N1: a percent-encoded tenant id reaches the origin with the origin's own path", async () => {
    const encoded = w.id.replace(/^f/, "%66");
    const o = await judge.send({ label: "N1", path: `/t/${encoded}/v1/chat/completions`, init: { method: "POST", headers: { ...bearer(w.key), "content-type": "application/json" }, body: JSON.stringify({ model: "echo", messages: [{ role: "user", content: "hi" }] }) } });
    judge.assertClean();
    expect(o?.status).toBe(200);
    expect((JSON.parse(o!.text) as EchoBody).path).toBe("/v1/chat/completions");
  });
});

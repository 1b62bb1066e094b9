import { describe, expect, it } from "vitest";
import { env } from "cloudflare:test";
import { FuzzJudge, type FuzzRequest } from "../../helpers/fuzz-check";
import {
  INVALID_UTF8, NAUGHTY, NOT_OBJECTS, RAW_NUMBERS, REMOVE, WRONG_VALUES, allPaths, bytesBetween, nestedArray, pathName, sample, withValue,
} from "../../helpers/fuzz-corpus";
import { fuzzSuite, type FuzzWorld } from "../../helpers/fuzz-setup";
import { expectUnchanged, tenantState, type TenantState } from "../../helpers/fuzz-state";
import { ADMIN } from "../../helpers/warden";
import { tenantObject } from "../../../worker/clients/tenant";

/**
 * CONTRACT §6, §7 and §8 on the admin routes below a tenant: keys, usage, audit, principal
 * reset, watermark records and verification, and reference data. Reads and refused writes
 * change nothing stored; every answer is a success or a well-formed problem, never a 500.
 */
const judge = new FuzzJudge();
let w: FuzzWorld;
let before: TenantState;

fuzzSuite("admin routes", judge, (world, snapshot) => {
  w = world;
  before = snapshot;
});

const adminInit = (method: string, body?: string | Uint8Array, headers: Record<string, string> = {}): RequestInit => ({
  method,
  headers: { ...ADMIN, ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
  ...(body === undefined ? {} : { body }),
});
const t = (suffix: string) => `/admin/v1/tenants/${w?.id}${suffix}`;

function expectStatuses(outcomes: Array<{ label: string; status: number; text: string } | null>, allowed: (label: string) => number[]): void {
  for (const o of outcomes) {
    if (o && !allowed(o.label).includes(o.status)) judge.flag(o.label, `expected ${allowed(o.label).join("/")}, got ${o.status} ${o.text.slice(0, 120)}`);
  }
}

const VERIFY_LABELS = { kind: "labels", model: "digits", classes: 10, answers: [{ input: [[1, 2, 3]], label: 3 }, { input: [[4, 5, 6]], label: 1 }] };
const VERIFY_TEXT = { kind: "text", text: "some text that may carry a mark" };
const VERIFY_EMB = { kind: "embeddings", model: "emb", items: [{ embedding: [0.1, 0.2, 0.3, 0.4] }, { embedding: "AACAPwAAAEA=" }] };

describe("fuzz: admin routes below a tenant", () => {
  it("answers reads with naughty ids, queries and paths with 200 or 404", { timeout: 120_000 }, async () => {
    const requests: FuzzRequest[] = [];
    for (const [i, s] of sample(NAUGHTY, 60, 51).entries()) {
      const e = encodeURIComponent(s);
      for (const sub of ["/keys", "/usage", "/audit", `/watermark/records?model=digits`]) {
        requests.push({ label: `tenant #${i} ${sub}`, path: `/admin/v1/tenants/${e}${sub}`, init: adminInit("GET") });
      }
      requests.push({ label: `audit paging #${i}`, path: t(`/audit?limit=${e}&cursor=${e}`), init: adminInit("GET") });
      requests.push({ label: `records model #${i}`, path: t(`/watermark/records?model=${e}`), init: adminInit("GET") });
      requests.push({ label: `records principal #${i}`, path: t(`/watermark/records?model=digits&principal=${e}`), init: adminInit("GET") });
      requests.push({ label: `unknown sub-route #${i}`, path: t(`/${e}`), init: i % 2 ? adminInit("GET") : adminInit("POST", "{}") });
      requests.push({ label: `revoke key #${i}`, path: t(`/keys/${e}`), init: adminInit("DELETE") });
      requests.push({ label: `key on naughty tenant #${i}`, path: `/admin/v1/tenants/${e}/keys`, init: adminInit("POST", '{"name":"k"}') });
    }
    for (const limit of ["-1", "0", "1.5", "1e999", "NaN", "99999999999", "0x10"]) requests.push({ label: `audit limit ${limit}`, path: t(`/audit?limit=${limit}`), init: adminInit("GET") });
    requests.push({ label: "records without model", path: t("/watermark/records"), init: adminInit("GET") });
    requests.push({ label: "revoke other tenant's key here", path: t(`/keys/${w.otherKey.split(".")[2]}`), init: adminInit("DELETE") });
    requests.push({ label: "revoke key id with traversal", path: t("/keys/..%2F..%2Fkeys"), init: adminInit("DELETE") });
    const outcomes = await judge.sendAll(requests);
    expectStatuses(outcomes, (label) =>
      label.startsWith("audit") || label.startsWith("records principal") ? [200] : label.startsWith("tenant #") || label.startsWith("key on") ? [404] : label.startsWith("records") || label.startsWith("revoke") || label.startsWith("unknown") ? [404] : [200],
    );
    judge.assertClean();
  });

  it("refuses malformed key requests, reference data and verifications with 4xx problems", { timeout: 120_000 }, async () => {
    const requests: FuzzRequest[] = [];
    const routes = [
      { name: "keys", path: "/keys" },
      { name: "verify", path: "/watermark/verify" },
      { name: "reference", path: "/models/digits/reference" },
    ];
    for (const route of routes) {
      for (const [i, text] of NOT_OBJECTS.entries()) requests.push({ label: `${route.name} not an object #${i}`, path: t(route.path), init: adminInit("POST", text) });
      for (const [i, bytes] of INVALID_UTF8.entries()) requests.push({ label: `${route.name} invalid utf-8 #${i}`, path: t(route.path), init: adminInit("POST", bytesBetween('{"name":"', bytes, '","kind":"text","text":"x"}')) });
      for (const type of ["", "text/plain", "application/x-www-form-urlencoded"]) requests.push({ label: `${route.name} content-type ${JSON.stringify(type)}`, path: t(route.path), init: adminInit("POST", "{}", { "content-type": type }) });
      requests.push({ label: `${route.name} declared 10^20 bytes`, path: t(route.path), init: adminInit("POST", "{}", { "content-length": "99999999999999999999" }) });
    }
    const keyBase = { name: "k", scopes: ["chat", "*"], expires_at: new Date(Date.now() + 86_400_000).toISOString(), limits: { requests_per_minute: 5, tokens_per_day: 100 } };
    const keyBad: unknown[] = [
      { ...keyBase, name: "" }, { ...keyBase, name: "n".repeat(201) }, { ...keyBase, scopes: [] }, { ...keyBase, scopes: ["bad model name!"] },
      { ...keyBase, scopes: Array.from({ length: 257 }, () => "*") }, { ...keyBase, expires_at: "2000-01-01T00:00:00Z" }, { ...keyBase, expires_at: "tomorrow" },
      { ...keyBase, expires_at: "2999-02-30T00:00:00Z" }, { ...keyBase, limits: { requests_per_minute: 0 } }, { ...keyBase, limits: { requests_per_minute: 1.5 } },
      { ...keyBase, limits: { unknown: 1 } }, { ...keyBase, extra: true }, { ...keyBase, id: "chosen-id" }, { ...keyBase, key: "wdn.x.y.z" },
      { ...keyBase, secret_sha256: "00" }, { ...keyBase, revoked_at: null },
    ];
    for (const [i, body] of keyBad.entries()) requests.push({ label: `bad key #${i}`, path: t("/keys"), init: adminInit("POST", JSON.stringify(body)) });
    for (const [i, s] of sample(NAUGHTY, 40, 52).entries()) {
      requests.push({ label: `key scope #${i}`, path: t("/keys"), init: adminInit("POST", JSON.stringify({ ...keyBase, scopes: [s.includes(" ") || s === "" ? s : `${s} `] })) });
      requests.push({ label: `key expiry #${i}`, path: t("/keys"), init: adminInit("POST", JSON.stringify({ ...keyBase, expires_at: s })) });
      requests.push({ label: `verify kind #${i}`, path: t("/watermark/verify"), init: adminInit("POST", JSON.stringify({ ...VERIFY_TEXT, kind: s })) });
      requests.push({ label: `verify model #${i}`, path: t("/watermark/verify"), init: adminInit("POST", JSON.stringify({ ...VERIFY_LABELS, model: s || "x" })) });
      requests.push({ label: `reference model #${i}`, path: t(`/models/${encodeURIComponent(s)}/reference`), init: adminInit("POST", JSON.stringify({ input: "input-0", rows: [] })) });
      requests.push({ label: `reference input #${i}`, path: t("/models/digits/reference"), init: adminInit("POST", JSON.stringify({ input: s, rows: Array.from({ length: 20 }, () => new Array(64).fill(1)) })) });
      requests.push({ label: `reference cell #${i}`, path: t("/models/digits/reference"), init: adminInit("POST", JSON.stringify({ input: "input-0", rows: Array.from({ length: 20 }, (_, r) => (r === 3 ? [s, ...new Array(63).fill(1)] : new Array(64).fill(1))) })) });
    }
    const rows = (n: number, width = 64) => Array.from({ length: n }, () => new Array(width).fill(1));
    for (const [i, body] of [
      { input: "input-0", rows: rows(19) }, { input: "input-0", rows: [...rows(19), [1]] }, { input: "input-0", rows: [] }, { input: "", rows: rows(20) },
      { input: "input-0", rows: rows(20), extra: 1 }, { rows: rows(20) }, { input: "input-0" }, { input: "input-0", rows: rows(20, 0) },
    ].entries()) requests.push({ label: `bad reference #${i}`, path: t("/models/digits/reference"), init: adminInit("POST", JSON.stringify(body)) });
    for (const n of RAW_NUMBERS.filter((r) => /^-?1e400$/.test(r))) {
      requests.push({ label: `reference cell ${n}`, path: t("/models/digits/reference"), init: adminInit("POST", `{"input":"input-0","rows":[[${n}${",1".repeat(63)}]${`,[${new Array(64).fill(1).join(",")}]`.repeat(19)}]}`) });
    }
    requests.push({ label: "reference on an openai model", path: t("/models/chat/reference"), init: adminInit("POST", JSON.stringify({ input: "x", rows: rows(20, 2) })) });
    const outcomes = await judge.sendAll(requests);
    expectStatuses(outcomes, (label) =>
      label.includes("content-type") ? [415] : label.includes("10^20") ? [413] : label.startsWith("reference model") || label.startsWith("verify model") ? [404, 400] : [400],
    );
    judge.assertClean();
  });

  it("verifies naughty texts, labels and embeddings without a 500", { timeout: 120_000 }, async () => {
    const requests: FuzzRequest[] = [];
    const verify = (label: string, body: unknown) => requests.push({ label, path: t("/watermark/verify"), init: adminInit("POST", JSON.stringify(body)) });
    for (const [i, s] of sample(NAUGHTY, 80, 53).entries()) {
      if (s.length > 0) verify(`text #${i}`, { kind: "text", text: s });
      verify(`label inputs #${i}`, { ...VERIFY_LABELS, answers: [{ input: [s, [s], { [s]: s }], label: i % 7 }] });
      if (s.length > 0) verify(`embedding string #${i}`, { ...VERIFY_EMB, items: [{ embedding: s }] });
      if (i % 4 === 0) verify(`embedding input text #${i}`, { ...VERIFY_EMB, items: [{ input: s, embedding: [0.5, 0.5] }] });
    }
    for (const [p, path] of [...allPaths(VERIFY_LABELS), ...allPaths(VERIFY_EMB).map((q) => ["emb", ...q])].entries()) {
      const [doc, at] = path[0] === "emb" ? [VERIFY_EMB, path.slice(1)] : [VERIFY_LABELS, path];
      for (const [v, value] of [REMOVE, ...sample(WRONG_VALUES, 6, 700 + p)].entries()) {
        verify(`${pathName(path)} ← value #${v}`, withValue(doc, at, value));
      }
    }
    verify("label input 10000 arrays deep", { ...VERIFY_LABELS, answers: [{ input: JSON.parse(nestedArray(10_000)) as unknown[], label: 1 }] });
    verify("100 000 answers", { ...VERIFY_LABELS, answers: Array.from({ length: 100_000 }, (_, i) => ({ input: [i], label: i % 10 })) });
    verify("embeddings of different lengths", { ...VERIFY_EMB, items: [{ embedding: [1, 2] }, { embedding: [1, 2, 3] }] });
    verify("1e6-dimensional embedding", { ...VERIFY_EMB, items: [{ embedding: new Array(1_000_000).fill(0.001) }] });
    const outcomes = await judge.sendAll(requests, 3);
    expectStatuses(outcomes, () => [200, 400, 404]);
    judge.assertClean();
  });

  it("changed no stored state with any read, verification or refused write", { timeout: 120_000 }, async () => {
    expectUnchanged(await tenantState(w.id), before);
  });

  it("issues keys with naughty names exactly as sent, and nothing for a refused request", { timeout: 120_000 }, async () => {
    const requests: Array<FuzzRequest & { name: unknown }> = [];
    const keyBase = { name: "k", scopes: ["chat"], limits: { requests_per_minute: 5 } };
    for (const [i, s] of sample(NAUGHTY, 40, 54).entries()) requests.push({ label: `key name #${i}`, path: t("/keys"), init: adminInit("POST", JSON.stringify({ ...keyBase, name: s })), name: s });
    for (const [p, path] of allPaths(keyBase).entries()) {
      for (const [v, value] of [REMOVE, ...sample(WRONG_VALUES, 8, 800 + p)].entries()) {
        const body = withValue(keyBase, path, value) as { name?: unknown };
        requests.push({ label: `key ${pathName(path)} ← value #${v}`, path: t("/keys"), init: adminInit("POST", JSON.stringify(body)), name: body.name });
      }
    }
    const stub = tenantObject(env, w.id);
    const keysBefore = (await stub.listKeys()) as Array<{ id: string }>;
    const outcomes = await judge.sendAll(requests, 4);
    const issued: Array<{ id: string; name: unknown }> = [];
    outcomes.forEach((o, i) => {
      if (!o) return;
      if (o.status === 201) {
        const body = JSON.parse(o.text) as { id: string; name: unknown; key: string };
        issued.push({ id: body.id, name: body.name });
        if (body.name !== requests[i]!.name) judge.flag(o.label, `issued under the name ${JSON.stringify(body.name)}`);
      } else if (o.status !== 400) judge.flag(o.label, `expected 201 or 400, got ${o.status}`);
    });
    const keysAfter = (await stub.listKeys()) as Array<{ id: string; name: string }>;
    expect(keysAfter.length).toBe(keysBefore.length + issued.length);
    expect(new Set(keysAfter.map((k) => k.id))).toEqual(new Set([...keysBefore.map((k) => k.id), ...issued.map((k) => k.id)]));
    const listed = JSON.parse((await judge.send({ label: "list keys", path: t("/keys"), init: adminInit("GET") }))!.text) as { items: Array<{ id: string; name: string }> };
    for (const k of issued) expect(listed.items.find((item) => item.id === k.id)?.name).toBe(k.name);
    expect(issued.length).toBeGreaterThan(20);
    judge.assertClean();
  });

  it("resets naughty principals: 204 for a well-formed name, 404 otherwise", { timeout: 120_000 }, async () => {
    const requests: FuzzRequest[] = [];
    const names: string[] = [];
    for (const s of sample(NAUGHTY, 50, 55)) names.push(s, `key:${s}`, `sub:${s}`);
    names.push(`key:${w.key.split(".")[2]}`, "key:", "sub:", "key", ":", "user:x", `sub:${"s".repeat(300)}`);
    for (const [i, name] of names.entries()) {
      requests.push({ label: `reset #${i} ${JSON.stringify(name).slice(0, 40)}`, path: t(`/principals/${encodeURIComponent(name)}/reset`), init: adminInit("POST") });
    }
    const outcomes = await judge.sendAll(requests);
    expectStatuses(outcomes, () => [204, 404]);
    expect(outcomes.filter((o) => o?.status === 204).length).toBeGreaterThan(20);
    judge.assertClean();
  });
});

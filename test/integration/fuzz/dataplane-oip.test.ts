import { describe, expect, it } from "vitest";
import { FuzzJudge, type FuzzRequest } from "../../helpers/fuzz-check";
import {
  INVALID_UTF8, NAUGHTY, NOT_OBJECTS, REMOVE, WRONG_VALUES, allPaths, bytesBetween, nestedArray, pathName, sample, withValue,
} from "../../helpers/fuzz-corpus";
import { fuzzSuite, type FuzzWorld } from "../../helpers/fuzz-setup";
import { expectUnchanged, tenantState, type TenantState } from "../../helpers/fuzz-state";

/**
 * CONTRACT §4, §5 and §8 on the Open Inference Protocol routes: naughty model names are unknown
 * models, tensors that break the model's declared names, datatypes, shapes or ranges are 400
 * problems, and nothing in a tensor makes Warden answer 500.
 */
const judge = new FuzzJudge();
let w: FuzzWorld;
let before: TenantState;
let auth: Record<string, string>;

fuzzSuite("oip", judge, (world, snapshot) => {
  w = world;
  before = snapshot;
  auth = { authorization: `Bearer ${world.key}` };
});

const row = (v = 1) => new Array(64).fill(v) as number[];
const INFER = {
  id: "req-1",
  inputs: [{ name: "input-0", datatype: "FP32", shape: [2, 64], data: [...row(1), ...row(2)], parameters: { content_type: "np" } }],
  outputs: [{ name: "probabilities", parameters: { classification: 0 } }],
  parameters: { priority: 1 },
};
const tensor = (t: Record<string, unknown>) => ({ inputs: [{ ...INFER.inputs[0], ...t }] });

const infer = (body: string | Uint8Array, headers: Record<string, string> = {}): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json", ...auth, ...headers },
  body,
});

describe("fuzz: OIP routes", () => {
  it("answers naughty model names on infer, metadata and ready as unknown models", { timeout: 120_000 }, async () => {
    const requests: FuzzRequest[] = [];
    const names = [...sample(NAUGHTY, 100, 31).map((s) => encodeURIComponent(s)), ...sample(NAUGHTY, 25, 32), "DIGITS", "digits%00", "digits%2F..", "%2E%2E", "digits%20", "chat", "emb"];
    for (const [i, name] of names.entries()) {
      const label = `model #${i} ${JSON.stringify(name).slice(0, 30)}`;
      requests.push({ label: `${label} infer`, path: `/t/${w.id}/v2/models/${name}/infer`, init: infer(JSON.stringify(INFER)) });
      requests.push({ label: `${label} metadata`, path: `/t/${w.id}/v2/models/${name}`, init: { headers: auth } });
      requests.push({ label: `${label} ready`, path: `/t/${w.id}/v2/models/${name}/ready`, init: { headers: auth } });
    }
    for (const method of ["PUT", "DELETE", "PATCH", "OPTIONS"]) {
      for (const path of ["/v2/models/digits/infer", "/v2/models/digits", "/v2/health/ready", "/v1/models"]) {
        requests.push({ label: `${method} ${path}`, path: `/t/${w.id}${path}`, init: { method, headers: auth } });
      }
    }
    const outcomes = await judge.sendAll(requests);
    for (const o of outcomes) {
      if (o && !(o.status === 404 && o.problem?.code === "not_found")) judge.flag(o.label, `expected 404 not_found, got ${o.status} ${o.text.slice(0, 100)}`);
    }
    judge.assertClean();
  });

  it("refuses every tensor that breaks the declared input with a 400 problem", { timeout: 120_000 }, async () => {
    const requests: FuzzRequest[] = [];
    const add = (label: string, body: unknown) => requests.push({ label, path: `/t/${w.id}/v2/models/digits/infer`, init: infer(JSON.stringify(body)) });
    for (const [i, s] of sample(NAUGHTY, 60, 33).entries()) {
      add(`tensor name #${i}`, tensor({ name: s }));
      add(`datatype #${i}`, tensor({ datatype: s }));
      add(`data element #${i}`, tensor({ data: [...row(1).slice(1), s, ...row(2)] }));
    }
    for (const [i, shape] of [
      [], [128], [64, 2], [1, 64], [3, 64], [2, 64, 1], [2, 32], [-1, 64], [1e9, 1e9], [2 ** 53, 2], [0, 64], [2.5, 64], ["2", 64], [null, 64],
      [1, 1, 1, 1, 1, 1, 1, 1, 128], [Number.MAX_VALUE, 64],
    ].entries()) add(`shape #${i} ${JSON.stringify(shape)}`, tensor({ shape }));
    for (const [i, data] of [
      [], [1], row(1), [...row(1), ...row(1), 1], [[...row(1)], [...row(2), 1]], [...row(17), ...row(1)], [...row(-1), ...row(1)],
      [...row(1).slice(1), null, ...row(1)], [...row(1).slice(1), true, ...row(1)], [...row(1).slice(1), "NaN", ...row(1)],
      [...row(1).slice(1), "1", ...row(1)], [...row(1).slice(1), {}, ...row(1)], [...row(1).slice(1), [], ...row(1)],
      "not an array", { 0: 1 }, null,
    ].entries()) add(`data #${i}`, tensor({ data }));
    add("two inputs", { inputs: [INFER.inputs[0], { ...INFER.inputs[0], name: "input-1" }] });
    add("no inputs", { inputs: [] });
    add("65 inputs", { inputs: Array.from({ length: 65 }, () => INFER.inputs[0]) });
    add("inputs not an array", { inputs: INFER.inputs[0] });
    const raw = (label: string, text: string) => requests.push({ label, path: `/t/${w.id}/v2/models/digits/infer`, init: infer(text) });
    const prefix = '{"inputs":[{"name":"input-0","datatype":"FP32","shape":[1,64],"data":[';
    for (const n of ["1e400", "-1e400", "NaN", "Infinity", "-", "01", "1.", ".5", "0x10", "1e", "+1"]) raw(`raw element ${n}`, `${prefix}${n},${row(1).slice(1).join(",")}]}]}`);
    for (const depth of [100, 1000, 10_000]) raw(`data ${depth} arrays deep`, `${prefix}${nestedArray(depth)}]}]}`);
    for (const [i, text] of NOT_OBJECTS.entries()) raw(`not an object #${i}`, text);
    for (const [i, bytes] of INVALID_UTF8.entries()) {
      requests.push({ label: `invalid utf-8 #${i}`, path: `/t/${w.id}/v2/models/digits/infer`, init: infer(bytesBetween('{"inputs":[{"name":"input-', bytes, '0","datatype":"FP32","shape":[1,1],"data":[1]}]}')) });
    }
    const outcomes = await judge.sendAll(requests);
    for (const o of outcomes) {
      if (o && !(o.status === 400 && o.problem?.code === "invalid_request")) judge.flag(o.label, `expected 400 invalid_request, got ${o.status} ${o.text.slice(0, 100)}`);
    }
    for (const type of ["text/plain", "", "application/octet-stream"]) {
      const o = await judge.send({ label: `content-type ${type}`, path: `/t/${w.id}/v2/models/digits/infer`, init: infer(JSON.stringify(INFER), { "content-type": type }) });
      expect(o?.status).toBe(415);
    }
    judge.assertClean();
  });

  it("changed no stored state while refusing", { timeout: 120_000 }, async () => {
    expectUnchanged(await tenantState(w.id), before);
  });

  it("survives a wrong type at every field of an infer request, with and without declared inputs", { timeout: 120_000 }, async () => {
    const requests: FuzzRequest[] = [];
    for (const model of ["digits", "digits-free"]) {
      for (const [p, path] of allPaths(INFER).entries()) {
        if (typeof path[path.length - 1] === "number" && path.includes("data") && p % 16 !== 0) continue; // 128 data elements: a few suffice
        for (const [v, value] of [REMOVE, ...sample(WRONG_VALUES, 7, 200 + p)].entries()) {
          requests.push({ label: `${model} ${pathName(path)} ← value #${v}`, path: `/t/${w.id}/v2/models/${model}/infer`, init: infer(JSON.stringify(withValue(INFER, path, value))) });
        }
      }
    }
    const outcomes = await judge.sendAll(requests, 4);
    expect(outcomes.some((o) => o?.status === 200)).toBe(true);
    judge.assertClean();
  });

  it("passes naughty BYTES tensors, ids, parameters and output names on", { timeout: 120_000 }, async () => {
    const requests: FuzzRequest[] = [];
    for (const [i, s] of sample(NAUGHTY, 120, 34).entries()) {
      const text = { inputs: [{ name: "text", datatype: "BYTES", shape: [2], data: [s, s.slice(0, 3)] }] };
      requests.push({ label: `bytes tensor #${i}`, path: `/t/${w.id}/v2/models/texts/infer`, init: infer(JSON.stringify(text)) });
      const free = { id: s.slice(0, 256), inputs: [{ ...INFER.inputs[0], name: s || "x", parameters: { [s]: s } }], outputs: [{ name: s }], parameters: { [s]: [s] } };
      requests.push({ label: `free model members #${i}`, path: `/t/${w.id}/v2/models/digits-free/infer`, init: infer(JSON.stringify(free)) });
      if (i % 4 === 0) requests.push({ label: `declared model, naughty id/parameters #${i}`, path: `/t/${w.id}/v2/models/digits/infer`, init: infer(JSON.stringify({ ...INFER, id: s.slice(0, 256), parameters: { [s]: s } })) });
      if (i % 8 === 0) requests.push({ label: `metadata query #${i}`, path: `/t/${w.id}/v2/models/digits?${encodeURIComponent(s)}=${encodeURIComponent(s)}`, init: { headers: auth } });
    }
    requests.push({ label: "largest batch", path: `/t/${w.id}/v2/models/digits/infer`, init: infer(JSON.stringify(tensor({ shape: [4096, 64], data: new Array(4096 * 64).fill(0) }))) });
    const outcomes = await judge.sendAll(requests, 4);
    for (const o of outcomes) {
      // A declared model still refuses what breaks its spec; the free and BYTES models leave judging to the origin.
      if (o?.problem && !(o.label.startsWith("free model") && o.status === 400)) judge.flag(o.label, `Warden refused: ${o.status} ${o.text.slice(0, 160)}`);
    }
    judge.assertClean();
  });
});

import { describe, expect, it } from "vitest";
import { sources } from "../helpers/sources";
import { cycles, runtimeImports } from "../helpers/import-graph";
import { SettingsSchema } from "../../worker/config/settings";

/**
 * The request path's shape (issue 11 #4), checked on the sources: each plane has its own context
 * type (no catch-all alias), origin answers are narrowed by checks and never cast, nothing imports
 * back into the request runner (nor into any module: no import cycle), Durable Objects are
 * addressed only by their client modules, and route kinds are tested only where the route table is.
 */

const rel = (path: string) => path.replace(/^(\.\.\/)+/, "");

/** Code without comments and string literals, line by line (a ` as ` in a message is not a cast). */
function codeLines(text: string): string[] {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, " "))
    .split("\n")
    .map((line) => line.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`/g, '""').replace(/\/\/.*$/, ""));
}

/** `x as T` (not `as const`) on a line of code. */
const CAST = /\bas\s+(?!const\b)[\w{[(]/;

function casts(path: string): string[] {
  return codeLines(sources[path]!).flatMap((line, i) => (CAST.test(line) ? [`${rel(path)}:${i + 1}: ${line.trim()}`] : []));
}

const files = (test: (path: string) => boolean) => Object.keys(sources).filter((p) => test(rel(p)));

describe("request path structure", () => {
  it("reads the sources it checks", () => {
    expect(Object.keys(sources).length).toBeGreaterThan(100);
    expect(files((p) => /^worker\/pipeline\/protect-\w+\.ts$/.test(p)).length).toBeGreaterThanOrEqual(4);
  });

  it("has no catch-all context type: each file names the env of its plane (RootEnv, AdminEnv, DataPlaneEnv, DataEnv)", () => {
    const offenders = Object.entries(sources).flatMap(([path, text]) => (/\bAppEnv\b/.test(text) ? [rel(path)] : []));
    expect(offenders).toEqual([]);
  });

  it("casts no origin answer: the response protection and usage readers narrow what they read", () => {
    const offenders = files((p) => /^worker\/pipeline\/protect(-\w+)?\.ts$/.test(p) || p === "worker/protocols/usage.ts" || p === "worker/pipeline/event-json.ts").flatMap(casts);
    expect(offenders).toEqual([]);
  });

  it("casts nothing else in the pipeline but the key cache's one typed lookup", () => {
    const offenders = files((p) => p.startsWith("worker/pipeline/")).flatMap(casts);
    expect(offenders).toEqual([expect.stringMatching(/^worker\/pipeline\/protection-keys\.ts:\d+: let hit = cache\.get\(id\) as Promise<T> \| undefined;$/)]);
  });

  it("casts no Durable Object's answer: the client modules' stubs type every RPC result (worker/clients/)", () => {
    // The stub makers the client modules export; a cast on a line that calls one hides what the object returns.
    const makers = files((p) => p.startsWith("worker/clients/")).flatMap((path) =>
      [...sources[path]!.matchAll(/export function (\w+)\([^)]*\): \w+Stub\b/g)].map((m) => m[1]!),
    );
    expect(makers.length).toBeGreaterThanOrEqual(8);
    const call = new RegExp(`\\b(${makers.join("|")})\\(`);
    // `as unknown` only widens (a parsed JSON column of the answer): it hides nothing.
    const narrowing = /\bas\s+(?!const\b|unknown\b)[\w{[(]/;
    const offenders = files((p) => p.startsWith("worker/") || p.startsWith("durable-objects/")).flatMap((path) =>
      codeLines(sources[path]!).flatMap((line, i) => (call.test(line) && narrowing.test(line) ? [`${rel(path)}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(offenders).toEqual([]);
  });

  it("addresses Durable Objects only in the client modules (worker/clients/), the objects' calls to each other included", () => {
    // The namespaces' binding names (worker/env.ts): `env.BUDGETS.get(…)` outside clients/ would address an object too.
    const bindings = [...sources["../../worker/env.ts"]!.matchAll(/^\s*(\w+): DurableObjectNamespace</gm)].map((m) => m[1]!);
    expect(bindings.length).toBeGreaterThanOrEqual(6);
    const addressing = new RegExp(`\\.(idFromName|getByName|idFromString|newUniqueId)\\(|\\b(${bindings.join("|")})\\.get\\(`);
    const offenders = files((p) => !p.startsWith("worker/clients/")).flatMap((path) =>
      codeLines(sources[path]!).flatMap((line, i) => (addressing.test(line) ? [`${rel(path)}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(offenders).toEqual([]);
  });

  it("imports nothing back at run time: no import cycle under worker/ and durable-objects/", () => {
    // Type-only imports are erased and left out: a Durable Object's class and the bindings that name it (worker/env.ts) know each other's types
    // (docs/request-path.md lists the type-only cycles). The parser (test/helpers/import-graph.ts) found the TypeScript compiler's edges when written.
    const graph = runtimeImports(sources);
    expect([...graph.values()].flat().length).toBeGreaterThan(400);
    expect(graph.get("../../worker/errors.ts")).toContain("../../worker/protocols/error-dialects.ts");
    expect(cycles(graph).map((c) => c.map(rel).join(" → "))).toEqual([]);
  });

  it("reads Warden's settings from the bindings only where they are parsed once per isolate (worker/config/settings.ts)", () => {
    const names = Object.keys(SettingsSchema.shape);
    expect(names).toContain("MASTER_KEY");
    const read = new RegExp(`\\.(${names.join("|")})\\b`);
    const offenders = files((p) => p !== "worker/config/settings.ts").flatMap((path) =>
      codeLines(sources[path]!).flatMap((line, i) => (read.test(line) ? [`${rel(path)}:${i + 1}: ${line.trim()}`] : [])),
    );
    // The screening model's loader reads the key from what it is given: the screen stage passes the parsed setting.
    expect(offenders).toEqual([expect.stringMatching(/^worker\/screen\/index\.ts:\d+: .*bundledModel\(env\.MODEL_MANIFEST_PUBLIC_KEY\)/)]);
    expect(sources["../../worker/pipeline/screen.ts"]).toMatch(/screenTexts\(toScore, \{ MODEL_MANIFEST_PUBLIC_KEY: c\.get\("settings"\)\.modelManifestPublicKey \}, voiced\)/);
  });

  it("imports nothing back into the request runner: only the data plane calls it", () => {
    const importers = Object.entries(sources).flatMap(([path, text]) => (/from "(\.\.?\/)+(pipeline\/)?run"/.test(text) ? [rel(path)] : []));
    expect(importers).toEqual(["worker/dataplane.ts"]);
  });

  it("keeps the admin plane off the request path: nothing under worker/admin imports worker/pipeline", () => {
    // What both planes need lives outside pipeline/: body parsing (http/), the credential reader (auth/), the origin call (origin/).
    const offenders = files((p) => p.startsWith("worker/admin/")).flatMap((path) =>
      [...sources[path]!.matchAll(/from "(?:\.\.\/)+pipeline\/([\w-]+)"/g)].map((m) => `${rel(path)}: pipeline/${m[1]}`),
    );
    expect(offenders).toEqual([]);
  });

  it("tests route kinds nowhere: what differs by kind is a hook on the route (worker/protocols/routes.ts)", () => {
    const KIND_TEST = /(===|!==|\bcase)\s*"(chat|completion|responses|messages|embedding|infer|metadata|ready)"/;
    const offenders = Object.keys(sources).flatMap((path) =>
      sources[path]!.split("\n").flatMap((line, i) => (KIND_TEST.test(line) ? [`${rel(path)}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(offenders).toEqual([]);
  });

  it("reads the request's variables with c.get on the data plane's path (worker/context.ts): c.var copies them all on each access", () => {
    const offenders = files((p) => /^worker\/(pipeline|guard|protocols|protect|extraction|origin)\//.test(p) || p === "worker/dataplane.ts").flatMap((path) =>
      codeLines(sources[path]!).flatMap((line, i) => (/\bc\.var\b/.test(line) ? [`${rel(path)}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(offenders).toEqual([]);
  });

  it("tests route protocols in the stages nowhere: only run.ts matches a model to its route's protocol", () => {
    const offenders = files((p) => p.startsWith("worker/pipeline/")).flatMap((path) =>
      codeLines(sources[path]!).flatMap((line, i) => (/\bprotocol\s*(===|!==)/.test(line) ? [`${rel(path)}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(offenders).toEqual([expect.stringMatching(/^worker\/pipeline\/run\.ts:\d+: .*m\.protocol === route\.protocol/)]);
  });

  it("reads model and route from the context only where they may be missing (metrics, the refusal log)", () => {
    // The stages get the model as an argument: read from the context, it was undefined before validation.
    const offenders = files((p) => p.startsWith("worker/pipeline/") || p.startsWith("worker/guard/")).flatMap((path) =>
      /c\.(get\("(model|route)"\)|var\.(model|route)\b)(?!\?)/.test(sources[path]!) ? [rel(path)] : [],
    );
    expect(offenders).toEqual([]);
  });
});

import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

/**
 * docs/openapi.yaml against the source: every route the code registers is documented (and
 * nothing else), every error code of worker/errors.ts appears with its status, every $ref
 * resolves. Routes are read from the route files as text, so a route added without
 * documentation fails here without starting the Worker.
 */
const ROOT = resolve(import.meta.dirname, "../..");
const read = (rel: string) => readFileSync(join(ROOT, rel), "utf8");

const METHODS = ["get", "post", "put", "patch", "delete"] as const;

interface Doc {
  paths: Record<string, Record<string, unknown>>;
  components: { responses: Record<string, { content?: Record<string, { schema?: ProblemSchema }> }> };
}
interface ProblemSchema {
  properties?: { status?: { const?: number }; code?: { enum?: string[] } };
}

const doc = parse(read("docs/openapi.yaml"), { maxAliasCount: -1 }) as Doc;

/** `/a/:b/` (or `:b{regex}`) → `/a/{b}`: Hono's path syntax to OpenAPI's, without a trailing slash. */
function toOpenApi(path: string): string {
  const p = path.replace(/:([A-Za-z_][A-Za-z0-9_]*)(\{[^}]*\})?/g, "{$1}").replace(/\/+/g, "/");
  return p.length > 1 ? p.replace(/\/$/, "") : p;
}

/** The module each imported identifier of `file` comes from (relative imports only). */
function imports(file: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const m of read(file).matchAll(/import\s*\{([^}]*)\}\s*from\s*"(\.[^"]+)"/g)) {
    const target = join(dirname(file), m[2]!);
    const resolved = target.endsWith(".ts") ? target : [`${target}.ts`, `${target}/index.ts`].find((f) => {
      try {
        read(f);
        return true;
      } catch {
        return false;
      }
    });
    if (!resolved) continue;
    for (const name of m[1]!.split(",").map((s) => s.trim().replace(/^type\s+/, "")).filter(Boolean)) map.set(name, resolved);
  }
  return map;
}

/**
 * Every "METHOD path" the Hono app `router`, defined in `file`, registers under `prefix`:
 * direct `.get/.post/.patch/.delete/.put(` calls, sub-apps mounted with `.route(prefix, app)`
 * (followed into the file they are imported from), and the data plane's ROUTES table.
 */
function routesOf(file: string, router: string, prefix: string): string[] {
  const src = read(file);
  const out: string[] = [];
  const call = new RegExp(`\\b${router}\\.(${METHODS.join("|")})\\(\\s*"([^"]*)"`, "g");
  for (const m of src.matchAll(call)) out.push(`${m[1]!.toUpperCase()} ${toOpenApi(prefix + m[2]!)}`);
  const mounts = new RegExp(`\\b${router}\\.route\\(\\s*"([^"]*)"\\s*,\\s*([A-Za-z_$][\\w$]*)\\s*\\)`, "g");
  // Catch-alls (`.all("*")`) are the 404 fallbacks; any other `.all`/`.on` route would escape this check.
  expect(src.match(new RegExp(`\\b${router}\\.(all|on)\\(\\s*(?!"\\*")`, "g")) ?? [], `${file}: undocumentable route`).toEqual([]);
  const from = imports(file);
  for (const m of src.matchAll(mounts)) {
    const sub = from.get(m[2]!) ?? file;
    out.push(...routesOf(sub, m[2]!, prefix + m[1]!));
  }
  // The data plane mounts its forwarded routes from a table in a loop.
  if (/for\s*\(\s*const\s+\w+\s+of\s+ROUTES\s*\)/.test(src)) {
    const table = from.get("ROUTES");
    expect(table, `${file} mounts ROUTES but its import was not found`).toBeDefined();
    for (const m of read(table!).matchAll(/method:\s*"(\w+)",\s*path:\s*"([^"]+)"/g)) {
      out.push(`${m[1]!.toUpperCase()} ${toOpenApi(prefix + m[2]!)}`);
    }
  }
  return out;
}

function documentedRoutes(): string[] {
  const out: string[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    // Normalised as the registered routes are (`/admin/` and `/admin` are one entry).
    for (const method of METHODS) if (item[method]) out.push(`${method.toUpperCase()} ${toOpenApi(path)}`);
  }
  return out;
}

describe("docs/openapi.yaml", () => {
  it("documents exactly the routes the Worker registers", () => {
    const registered = routesOf("worker/app.ts", "app", "");
    // Guard against a broken extractor passing vacuously: both planes and the public routes are found.
    expect(registered).toContain("GET /healthz");
    expect(registered).toContain("POST /t/{tenant}/v1/chat/completions");
    expect(registered).toContain("POST /admin/v1/tenants/{id}/keys");
    expect(registered.length).toBeGreaterThanOrEqual(25);
    expect(new Set(registered).size, "a route is registered twice").toBe(registered.length);
    expect([...documentedRoutes()].sort()).toEqual([...registered].sort());
  });

  it("lists every error code of worker/errors.ts with its status, and no other", () => {
    const table = new Map<string, number>();
    const src = read("worker/errors.ts");
    const body = src.slice(src.indexOf("ERROR_TABLE = {"), src.indexOf("} as const"));
    for (const m of body.matchAll(/(\w+):\s*\{\s*status:\s*(\d+)/g)) table.set(m[1]!, Number(m[2]));
    expect(table.size).toBeGreaterThanOrEqual(16);

    const documented = new Map<string, number>();
    for (const response of Object.values(doc.components.responses)) {
      const schema = response.content?.["application/problem+json"]?.schema;
      const status = schema?.properties?.status?.const;
      for (const code of schema?.properties?.code?.enum ?? []) {
        expect(documented.has(code), `${code} documented twice`).toBe(false);
        documented.set(code, status!);
      }
    }
    expect(Object.fromEntries([...documented].sort())).toEqual(Object.fromEntries([...table].sort()));
    const enumCodes = (doc as unknown as { components: { schemas: { ErrorCode: { enum: string[] } } } }).components.schemas.ErrorCode.enum;
    expect([...enumCodes].sort()).toEqual([...table.keys()].sort());
  });

  it("resolves every $ref and declares every path parameter", () => {
    const refs: string[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === "object") {
        for (const [k, v] of Object.entries(node)) (k === "$ref" && typeof v === "string" ? refs.push(v) : walk(v));
      }
    };
    walk(doc);
    expect(refs.length).toBeGreaterThan(50);
    for (const ref of new Set(refs)) {
      expect(ref.startsWith("#/"), ref).toBe(true);
      const target = ref.slice(2).split("/").reduce<unknown>((n, key) => (n as Record<string, unknown> | undefined)?.[key], doc);
      expect(target, `unresolved ${ref}`).toBeDefined();
    }

    const deref = (p: unknown) => {
      const ref = (p as { $ref?: string }).$ref;
      return (ref ? ref.slice(2).split("/").reduce<unknown>((n, key) => (n as Record<string, unknown>)[key], doc) : p) as { name: string; in: string };
    };
    for (const [path, item] of Object.entries(doc.paths)) {
      const needed = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
      for (const method of METHODS) {
        const op = item[method] as { parameters?: unknown[] } | undefined;
        if (!op) continue;
        const params = [...((item.parameters as unknown[]) ?? []), ...(op.parameters ?? [])].map(deref);
        const declared = [...new Set(params.filter((p) => p.in === "path").map((p) => p.name))].sort();
        expect(declared, `${method.toUpperCase()} ${path}`).toEqual(needed);
      }
    }
  });
});

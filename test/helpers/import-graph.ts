/**
 * The import graph of the sources as they run, for the structure test on cycles: what a module
 * loads when it is evaluated — static imports and re-exports, side-effect imports, dynamic
 * `import("…")` — without the type-only ones, which the compiler erases. Relative specifiers
 * only (packages and `cloudflare:` modules cannot import back). Paths are the keys of `sources`.
 */

const STATIC = /\b(?:import|export)\s+(type\s+)?([\w$*{}\s,]*?)\s*from\s*"([^"]+)"/g;
const BARE = /\bimport\s*"([^"]+)"/g;
const DYNAMIC = /\bimport\(\s*"([^"]+)"\s*\)/g;

/** `{ type A, type B }` loads nothing; `X, { type A }` and `* as X` do. */
function typeOnly(keyword: string | undefined, clause: string): boolean {
  if (keyword) return true;
  const named = /^\{([^}]*)\}$/.exec(clause.trim());
  if (!named) return false;
  const names = named[1]!.split(",").map((n) => n.trim()).filter(Boolean);
  return names.length > 0 && names.every((n) => /^type\s/.test(n));
}

/** `dir` joined with a relative specifier, `..` kept at the front (keys start with `../../`). */
function join(dir: string, spec: string): string {
  const parts: string[] = [];
  for (const part of `${dir}/${spec}`.split("/")) {
    if (part === "." || part === "") continue;
    if (part === ".." && parts.length > 0 && parts[parts.length - 1] !== "..") parts.pop();
    else parts.push(part);
  }
  return parts.join("/");
}

function resolve(from: string, spec: string, known: Set<string>): string | null {
  const base = join(from.slice(0, from.lastIndexOf("/")), spec);
  return [base, `${base}.ts`, `${base}/index.ts`].find((p) => known.has(p)) ?? null;
}

/** Each source's runtime imports among the sources (comments removed first: a commented import loads nothing). */
export function runtimeImports(sources: Record<string, string>): Map<string, string[]> {
  const known = new Set(Object.keys(sources));
  const graph = new Map<string, string[]>();
  for (const [path, text] of Object.entries(sources)) {
    const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
    const specs = [
      ...[...code.matchAll(STATIC)].filter((m) => !typeOnly(m[1], m[2]!)).map((m) => m[3]!),
      ...[...code.matchAll(BARE)].map((m) => m[1]!),
      ...[...code.matchAll(DYNAMIC)].map((m) => m[1]!),
    ];
    const deps = specs.filter((s) => s.startsWith(".")).map((s) => resolve(path, s, known));
    graph.set(path, [...new Set(deps.filter((d): d is string => d !== null))]);
  }
  return graph;
}

/** Every cycle a depth-first walk meets, as `a → b → a` (each closing edge once). */
export function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const done = new Set<string>();
  const onPath: string[] = [];
  const visit = (node: string): void => {
    onPath.push(node);
    for (const next of graph.get(node) ?? []) {
      const at = onPath.indexOf(next);
      if (at >= 0) found.push([...onPath.slice(at), next]);
      else if (!done.has(next)) visit(next);
    }
    onPath.pop();
    done.add(node);
  };
  for (const node of [...graph.keys()].sort()) if (!done.has(node)) visit(node);
  return found;
}

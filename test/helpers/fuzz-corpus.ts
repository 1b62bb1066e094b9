import blns from "../vectors/blns.json";
import { seededRng } from "../../worker/protect/random";

/**
 * Inputs for the fuzz tests (test/integration/fuzz): the Big List of Naughty Strings
 * (test/vectors/blns.NOTICE.md), deterministic samples of it, and structural mutations of JSON
 * documents. Everything here is a pure function of its arguments, so a failing case replays.
 */
export const NAUGHTY: readonly string[] = blns;

/** Names JavaScript treats specially as object keys; not in the list, and worth a key of their own. */
export const PROTO_KEYS = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf"] as const;


/** `n` distinct items of `list` chosen by `seed`, in list order; the whole list when n ≥ its length. */
export function sample<T>(list: readonly T[], n: number, seed: number): T[] {
  if (n >= list.length) return [...list];
  const next = seededRng(seed);
  const picked = new Set<number>();
  while (picked.size < n) picked.add(Math.floor(next() * list.length));
  return [...picked].sort((a, b) => a - b).map((i) => list[i]!);
}

/** Values of the wrong JSON type, or at the edges of a type, to put at every known field. */
export const WRONG_VALUES: readonly unknown[] = [
  null, true, false, 0, -1, 1.5, 2 ** 53 + 2, 1e308, -1e308, 5e-324,
  "", " ", "NaN", "Infinity", "-Infinity", "1e999", "0x1F", "null", "true", "[]", "\u0000", "x".repeat(5000),
  [], [null], [[[]]], ["*"], {}, { $ne: null }, JSON.parse('{"__proto__":{"x":1}}'), { "": "" },
];

/** Number literals JSON.parse accepts but turns into Infinity, -0, 0 or a rounded value. */
export const RAW_NUMBERS = ["1e400", "-1e400", "-0", "1e-400", "123456789012345678901234567890", "9007199254740993", "1E+2", "0.0000001"] as const;

/** JSON texts a JSON parser must refuse or that are not objects. */
export const NOT_OBJECTS = [
  "", " ", "null", "true", "0", "-0", "1e400", '"text"', "[]", "[{}]", "{", "}", "{}}", '{"a":1,}', "{'a':1}", "{a:1}",
  '{"a":1}garbage', "NaN", "Infinity", "undefined", "\u0000", "\ufeff\ufeff{}", "<xml/>", "a=1&b=2", "--boundary\r\n", "[".repeat(64),
] as const;

/** A JSON text nested `depth` arrays deep around `leaf`. */
export function nestedArray(depth: number, leaf = "0"): string {
  return "[".repeat(depth) + leaf + "]".repeat(depth);
}

/** A JSON text nested `depth` objects deep: {"a":{"a":…1}}. */
export function nestedObject(depth: number, key = "a", leaf = "1"): string {
  return `{"${key}":`.repeat(depth) + leaf + "}".repeat(depth);
}

export type JsonPath = Array<string | number>;

/** Every path in a JSON document below its root, containers included (a wrong type fits any of them). */
export function allPaths(doc: unknown, prefix: JsonPath = []): JsonPath[] {
  const out: JsonPath[] = [];
  if (Array.isArray(doc)) {
    doc.forEach((v, i) => out.push([...prefix, i], ...allPaths(v, [...prefix, i])));
  } else if (typeof doc === "object" && doc !== null) {
    for (const [k, v] of Object.entries(doc)) out.push([...prefix, k], ...allPaths(v, [...prefix, k]));
  }
  return out;
}

export const REMOVE = Symbol("remove");

/** A deep copy of `doc` with `value` at `path` (or the member removed, for REMOVE). */
export function withValue(doc: unknown, path: JsonPath, value: unknown): unknown {
  const copy = structuredClone(doc) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (value === REMOVE) {
    if (Array.isArray(node)) node.splice(last as number, 1);
    else delete node[last];
  } else {
    node[last] = value;
  }
  return copy;
}

export function pathName(path: JsonPath): string {
  return path.map(String).join(".");
}

/** Byte sequences no UTF-8 decoder may accept: stray bytes, overlong forms, surrogates, truncations. */
export const INVALID_UTF8: ReadonlyArray<readonly number[]> = [
  [0xff], [0xfe, 0xff], [0x80], [0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe2, 0x82], [0xc3], [0xc3, 0x28],
];

/** `prefix` + raw bytes + `suffix`, as one body. */
export function bytesBetween(prefix: string, bytes: readonly number[], suffix: string): Uint8Array {
  const enc = new TextEncoder();
  const [a, b] = [enc.encode(prefix), enc.encode(suffix)];
  const out = new Uint8Array(a.length + bytes.length + b.length);
  out.set(a, 0);
  out.set(bytes, a.length);
  out.set(b, a.length + bytes.length);
  return out;
}

/** A string as the raw bytes an HTTP client puts on the wire for it (UTF-8, read as Latin-1). */
export function asWireLatin1(s: string): string {
  return String.fromCharCode(...new TextEncoder().encode(s));
}

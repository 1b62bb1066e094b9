import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import SwaggerParser from "@apidevtools/swagger-parser";
import { parse } from "yaml";
import { readFileSync } from "node:fs";

/**
 * docs/openapi.yaml is a valid OpenAPI document, as a new operator's tools read it: the schema
 * validation and $ref resolution of @apidevtools/swagger-parser (the engine of swagger-cli
 * validate). openapi.test.ts checks it against the code; this checks it against the spec.
 */
const FILE = resolve(import.meta.dirname, "../../docs/openapi.yaml");

describe("docs/openapi.yaml", () => {
  it("validates against the OpenAPI schema, every $ref resolving", async () => {
    const api = await SwaggerParser.validate(FILE);
    expect(api.info.title).toBeTruthy();
  });

  it("has no key a YAML flow map split off a description (an unquoted comma leaves a key without a value)", () => {
    const doc = parse(readFileSync(FILE, "utf8"), { maxAliasCount: -1, uniqueKeys: true }) as { info: { license?: Record<string, string> } };
    const stray: string[] = [];
    const walk = (v: unknown, path: string) => {
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
      else if (v && typeof v === "object")
        for (const [k, x] of Object.entries(v)) {
          if (x === null && !["example", "default", "const"].includes(k)) stray.push(`${path}.${k}`);
          walk(x, `${path}.${k}`);
        }
    };
    walk(doc, "$");
    expect(stray).toEqual([]);
    // OpenAPI 3.1: a license names an SPDX identifier or a URL.
    expect(doc.info.license?.identifier ?? doc.info.license?.url).toBeTruthy();
  });
});

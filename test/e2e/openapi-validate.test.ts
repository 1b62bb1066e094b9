import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import SwaggerParser from "@apidevtools/swagger-parser";
import { parse } from "yaml";
import { readFileSync } from "node:fs";
import { execFile } from "node:child_process";

/**
 * docs/openapi.yaml is a valid OpenAPI document, as a new operator's tools read it: the schema
 * validation and $ref resolution of @apidevtools/swagger-parser (the engine of swagger-cli
 * validate) and `@redocly/cli lint` with its recommended rules (redocly.yaml, exceptions with
 * their reasons in .redocly.lint-ignore.yaml). openapi.test.ts checks it against the code; this
 * checks it against the spec.
 */
const ROOT = resolve(import.meta.dirname, "../..");
const FILE = resolve(ROOT, "docs/openapi.yaml");

function redoclyLint(): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      resolve(ROOT, "node_modules/.bin/redocly"),
      ["lint", "docs/openapi.yaml", "--format=json"],
      // No telemetry or update check from a test run.
      { cwd: ROOT, timeout: 60_000, env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" } },
      (err, stdout, stderr) => done({ code: err ? (typeof err.code === "number" ? err.code : -1) : 0, stdout, stderr }),
    );
  });
}

describe("docs/openapi.yaml", () => {
  it("validates against the OpenAPI schema, every $ref resolving", async () => {
    const api = await SwaggerParser.validate(FILE);
    expect(api.info.title).toBeTruthy();
  });

  it("passes @redocly/cli lint (recommended rules) with no error and no warning", async () => {
    const run = await redoclyLint();
    const report = JSON.parse(run.stdout) as { totals: { errors: number; warnings: number }; problems: Array<{ ruleId: string; message: string }> };
    expect(report.problems.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    expect(run.code, run.stderr).toBe(0);
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

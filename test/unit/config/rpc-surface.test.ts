import { describe, expect, it } from "vitest";
import { sourcesExcept } from "../../helpers/sources";
import { TenantObject } from "../../../durable-objects/tenant";
import { DirectoryObject } from "../../../durable-objects/directory";
import { AuditObject } from "../../../durable-objects/audit";
import { BudgetObject } from "../../../durable-objects/budget";
import { SignalsObject } from "../../../durable-objects/signals";
import { MetricsObject } from "../../../durable-objects/metrics";

/**
 * Everything public on a Durable Object class is callable over RPC (issue 11 #4): the surface of
 * these objects is what the Worker's clients call, and nothing a test alone needs (tests reach
 * storage through `runInDurableObject`, and what else they need through durable-objects/test-hooks.ts).
 * A new public method has to be added here on purpose.
 */
const surface = (cls: { prototype: object }) => Object.getOwnPropertyNames(cls.prototype).filter((n) => n !== "constructor").sort();

describe("Durable Object RPC surfaces", () => {
  it("TenantObject", () => {
    expect(surface(TenantObject)).toEqual(
      ["alarm", "create", "destroy", "get", "issueKey", "knownPrincipals", "listKeys", "notePrincipal", "recordWatermarks", "replace", "resolve", "revokeKey", "watermarkRecords"].sort(),
    );
  });
  it("DirectoryObject", () => {
    expect(surface(DirectoryObject)).toEqual(["exists", "list", "release", "reserve", "setTrust", "track", "trustFor", "untracked"].sort());
  });
  it("AuditObject", () => {
    expect(surface(AuditObject)).toEqual(["append", "list", "purge", "verify"].sort());
  });
  it("BudgetObject", () => {
    expect(surface(BudgetObject)).toEqual(
      ["acquire", "alarm", "batch", "extend", "lease", "noteExtraction", "principals", "purge", "register", "setConfigVersion", "setPrincipalConfigVersion", "settle", "surrender", "usage"].sort(),
    );
  });
  it("SignalsObject", () => {
    expect(surface(SignalsObject)).toEqual(["forget", "ingest", "observeBatch", "principals", "recordAnswer", "reset"].sort());
  });
  it("MetricsObject", () => {
    expect(surface(MetricsObject)).toEqual(["add", "guardCounts", "history", "purge", "snapshot"].sort());
  });
});

// The objects register their test hooks; only tests read them, so no Worker code reaches them.
const sources = sourcesExcept("/durable-objects/test-hooks.ts");

describe("Durable Object test hooks", () => {
  it("reads the sources it checks", () => {
    expect(Object.keys(sources).length).toBeGreaterThan(100);
  });
  it("are imported by no Worker module and read by no production code", () => {
    const offenders = Object.entries(sources).flatMap(([path, text]) =>
      (path.includes("/worker/") && text.includes("test-hooks")) || /Hooks\.of\(/.test(text) ? [path] : [],
    );
    expect(offenders).toEqual([]);
  });
});

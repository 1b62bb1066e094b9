import { describe, expect, it } from "vitest";
import { TenantObject } from "../../../durable-objects/tenant";
import { DirectoryObject } from "../../../durable-objects/directory";
import { AuditObject } from "../../../durable-objects/audit";

/**
 * Everything public on a Durable Object class is callable over RPC (issue 11 #4): the surface of
 * these objects is what the Worker's clients call, and nothing a test alone needs (tests reach
 * storage through `runInDurableObject`). A new public method has to be added here on purpose.
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
});

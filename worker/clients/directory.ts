import type { Bindings } from "../env";
import type { DirectoryObject } from "../../durable-objects/directory";

/**
 * The Worker's side of DirectoryObject: the one object that lists tenants and their JWT trusts,
 * addressed by name here and nowhere else. The name is stored data's address: never change it.
 */
export type DirectoryStub = DurableObjectStub<DirectoryObject>;

const DIRECTORY_NAME = "directory";

export function directoryObject(env: Pick<Bindings, "DIRECTORY">): DirectoryStub {
  return env.DIRECTORY.getByName(DIRECTORY_NAME);
}

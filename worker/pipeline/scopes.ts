import type { Principal } from "../context";

/** Deny by default: a model is allowed only when the credential's scopes name it or hold "*". */
export function allowedModel(principal: Principal, model: string): boolean {
  return principal.scopes.includes("*") || principal.scopes.includes(model);
}

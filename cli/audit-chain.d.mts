// Types for audit-chain.mjs, for TypeScript callers (test/e2e/cli.test.ts).
export const GENESIS: string;
export interface AuditItemLike { seq: number; ts?: string; type?: string; principal?: string | null; reason: string; detail?: unknown; prev_hash?: string; hash: string }
export function entryHash(e: AuditItemLike): string;
export function verifyChain(
  items: readonly AuditItemLike[],
  head?: { seq: number; hash: string },
  anchor?: { seq: number; hash: string },
): { valid: boolean; checked: number; problem?: string; seq?: number };

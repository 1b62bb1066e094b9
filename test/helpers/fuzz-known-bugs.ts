/**
 * Inputs that make Warden answer 500 today, found by the fuzz tests and reported to the
 * integrator (exact requests and stacks in the report; failing tests in
 * test/integration/fuzz/known-bugs.test.ts). The committed fuzz tests leave exactly these inputs
 * out so that they pass; delete each entry when its bug is fixed, and the fuzz tests cover it again.
 * Also known: nesting 10 000 levels deep 500s in OIP data, merge patches and label verification
 * (stack overflow), so the fuzz tests nest at most 1000 deep there.
 */
export const KNOWN_BUGS = {
  /**
   * forwardHeaders (worker/pipeline/forward.ts) sets `x-warden-principal: sub:<JWT sub>`; a sub
   * with NUL, CR or LF (valid JSON, validly signed) makes Headers.set throw "Invalid header
   * value." → 500.
   */
  principalHeader: (principal: string): boolean => /[\0\r\n]/.test(principal),
  /**
   * The admin API stores any origin header value up to 8192 characters; one with NUL, CR or LF
   * makes every later forward to that model throw in forwardHeaders → 500.
   */
  originHeaderValue: (value: string): boolean => /[\0\r\n]/.test(value),
  /**
   * GET /admin/v1/tenants?limit=1.5: the limit is clamped but not rounded, and SQLite refuses a
   * fractional LIMIT (DirectoryObject.list, from the list route in worker/admin/tenants.ts)
   * → SQLITE_MISMATCH → 500.
   */
  fractionalLimit: (limit: string): boolean => {
    const n = Number(limit);
    return Number.isFinite(n) && !Number.isInteger(Math.min(Math.max(n || 100, 1), 500));
  },
  /**
   * POST …/principals/{principal}/reset: Hono has already percent-decoded the parameter and the
   * reset route in worker/admin/usage.ts decodes it again; a name with a "%" not followed by two
   * hex digits throws URIError → 500 (and a name holding an escape resets the wrong principal).
   */
  principalDecodedTwice: (principal: string): boolean => {
    try {
      decodeURIComponent(principal);
      return false;
    } catch {
      return true;
    }
  },
  /**
   * POST …/watermark/verify with an embedding given as a string that is not base64 of whole
   * float32s: decodeBase64Embedding (worker/protect/embedding-watermark.ts) throws
   * InvalidCharacterError or RangeError, which nothing turns into a 400 → 500.
   */
  embeddingString: (value: string): boolean => {
    try {
      return atob(value).length % 4 !== 0;
    } catch {
      return true;
    }
  },
} as const;

/**
 * The RFC 7396 merge patch that turns `before` into `after`: a key the form removed must be sent
 * as null, or the merge would keep the stored value. Arrays and scalars are replaced whole.
 */
export function mergePatchFor(before, after) {
  const isObj = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
  if (!isObj(before) || !isObj(after)) return after;
  const patch = {};
  for (const k of Object.keys(before)) if (!(k in after)) patch[k] = null;
  for (const [k, v] of Object.entries(after)) {
    if (JSON.stringify(before[k]) === JSON.stringify(v)) continue;
    patch[k] = mergePatchFor(before[k], v);
  }
  return patch;
}

/**
 * Every string inside a JSON value — values and object keys — for screening the parts of a
 * request a model reads as structured text (tool definitions and their JSON schemas, response
 * schemas, documents). Walked with an explicit stack, so a deeply nested body cannot overflow
 * the call stack; duplicates (the many "string" and "object" of a schema) are kept once.
 */
export function stringsIn(value: unknown): { values: string[]; keys: string[] } {
  const values = new Set<string>();
  const keys = new Set<string>();
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === "string") values.add(v);
    else if (Array.isArray(v)) for (let i = v.length - 1; i >= 0; i--) stack.push(v[i]);
    else if (v !== null && typeof v === "object") {
      const entries = Object.entries(v as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i--) {
        keys.add(entries[i]![0]);
        stack.push(entries[i]![1]);
      }
    }
  }
  return { values: [...values], keys: [...keys] };
}

/**
 * The texts to screen for a JSON value: each distinct string on its own (a description is
 * scored alone, not diluted by its neighbours); all of them together, a line each (an
 * instruction split over several fields is read whole by the model); and all keys as one text,
 * a line each (a parameter name can carry words too, but one window per short key is waste).
 */
export function textsIn(value: unknown): string[] {
  const { values, keys } = stringsIn(value);
  const out = [...values];
  if (values.length > 1) out.push(values.join("\n"));
  if (keys.length > 0) out.push(keys.join("\n"));
  return out;
}

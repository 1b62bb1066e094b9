/** What the output guard looks for, by category (CONTRACT §6 `output_guard`). */
export type Category = "secrets" | "pii" | "prompt_leak";

/** One match: the detector that found it and the span of text to redact (UTF-16 offsets). */
export interface Finding {
  detector: string;
  category: Category;
  start: number;
  end: number;
}

/** A pure detector: every match in `text`. Spans never reveal more than offsets. */
export interface Detector {
  name: string;
  category: Exclude<Category, "prompt_leak">;
  find(text: string): Finding[];
}

/**
 * A detector built from a global regex and an optional check of each match (checksum, entropy,
 * context). `group` names the capture group that is the secret itself when the pattern also
 * matches the words in front of it (a credential's name), so only the value is redacted.
 */
export function regexDetector(name: string, category: Detector["category"], re: RegExp, check: (value: string, match: RegExpExecArray) => boolean = () => true, group = 0): Detector {
  if (!re.global) throw new Error(`detector ${name}: regex must be global`);
  return {
    name,
    category,
    find(text) {
      const out: Finding[] = [];
      re.lastIndex = 0;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        if (m[0].length === 0) {
          re.lastIndex++;
          continue;
        }
        const value = m[group];
        if (value === undefined || !check(value, m)) continue;
        const start = m.index + (group === 0 ? 0 : m[0].lastIndexOf(value));
        out.push({ detector: name, category, start, end: start + value.length });
      }
      return out;
    },
  };
}

/** A detector that runs only when `hint` (a string every match contains) is in the text: most text holds none. */
export function hinted(hint: string | RegExp, d: Detector): Detector {
  const present = typeof hint === "string" ? (t: string) => t.includes(hint) : (t: string) => hint.test(t);
  return { ...d, find: (text) => (present(text) ? d.find(text) : []) };
}

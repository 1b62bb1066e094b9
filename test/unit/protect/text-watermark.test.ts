import { describe, expect, it } from "vitest";
import {
  createTextMarker,
  dayString,
  extractTextBlocks,
  textWatermarkKey,
  verifyText,
} from "../../../worker/protect/text-watermark";
import { seededRng } from "../../../worker/protect/random";

const MASTER = new Uint8Array(32).map((_, i) => (i * 31 + 5) & 255);
const AT = Date.UTC(2026, 10, 14, 15, 30); // 2026-11-14
const PRINCIPALS = ["key:k_alpha", "key:k_beta", "sub:carol", "sub:dave"];

const PROSE = `The harbour town wakes slowly in winter. Fishing boats leave before dawn, and by the time the
bakery opens its shutters the quay is already quiet again. Visitors who arrive on the early train
often find the streets empty, the cafés half lit, and the gulls louder than any conversation. It is
a good season to walk the cliff path, which climbs from the lighthouse to the old signal station in
about forty minutes. The path is narrow in places, so sturdy shoes are worth the weight, and the
wind can turn sharply around the headland. From the top you can see three bays on a clear day, and
sometimes the grey backs of seals resting on the rocks below. Back in town, the market hall opens
on Saturdays with cheese, smoked fish, bread and a surprising variety of apples from the orchards
inland. Most stalls accept cards now, but the oldest traders still prefer cash and will happily
round the price down for a friendly customer. In the evening the pubs fill with crews and walkers,
and there is usually someone with a fiddle near the fire. Accommodation is cheap outside the summer
months, though many guesthouses close entirely between January and March, so it is wise to book ahead
and to ask whether breakfast is included. If the weather turns, the small museum above the library has
a fine collection of ship models, tide tables going back two centuries, and a patient volunteer who
will explain how the lifeboat crews trained before radios existed. Whatever you plan, leave an afternoon
free to do nothing at all: watching the tide come in over the harbour wall is the town's oldest pastime.`;

const MIXED = `Here is the answer 👍🏽 for you. Call \`fetch(url)\` with care, then read https://example.com/docs/page?x=1 for more.
\`\`\`python
def total(items):
    return sum(item.price for item in items)
\`\`\`
Naïve café owners in Zürich say 你好 世界 and Привет мир every morning, don't they? Well-known facts follow.`;

const VISIBLE = /[\u2060\uFE00-\uFE0F]/g;

async function marked(text: string, principal = "key:k_beta", at = AT): Promise<string> {
  const marker = await createTextMarker(await textWatermarkKey(MASTER, "t1"), principal, at);
  return marker.push(text);
}

const UNRELATED = `Quarterly revenue rose on the back of strong demand for industrial pumps, while the board
approved a new buyback programme and confirmed the dividend. Analysts expect margins to narrow next
year as raw material costs climb, and the company warned that two plants will close for maintenance in
the spring. Shares ended the day slightly higher after a volatile morning of trading in Frankfurt.`;

const NOW = AT + 86_400_000;

async function verify(text: string, tenant = "t1") {
  return verifyText(text, await textWatermarkKey(MASTER, tenant), PRINCIPALS, { now: NOW });
}

describe("text watermark insertion", () => {
  it("leaves the visible text byte-identical and marks roughly every 8-20 words", async () => {
    const out = await marked(PROSE);
    expect(out.replace(VISIBLE, "")).toBe(PROSE);
    const blocks = out.match(/\u2060[\uFE00-\uFE0F]{11}/g) ?? [];
    const words = PROSE.split(/\s+/).length;
    expect(blocks.length).toBeGreaterThanOrEqual(Math.floor(words / 20));
    expect(blocks.length).toBeLessThanOrEqual(Math.ceil(words / 8) + 1);
    // Each block is bound to its own words, so no two are alike.
    expect(new Set(blocks).size).toBe(blocks.length);
  });

  it("spaces blocks as asked", async () => {
    const key = await textWatermarkKey(MASTER, "t1");
    const dense = await (await createTextMarker(key, "key:k_beta", AT, { minGap: 2, maxGap: 2 })).push(PROSE);
    const sparse = await (await createTextMarker(key, "key:k_beta", AT, { minGap: 40, maxGap: 60 })).push(PROSE);
    const count = (s: string): number => (s.match(/\u2060/g) ?? []).length;
    expect(count(dense)).toBeGreaterThan(100);
    expect(count(sparse)).toBeLessThan(12);
    expect((await verify(sparse)).principal).toBe("key:k_beta");
  });

  it("resolves the day against the verifier's clock, 11 years back", async () => {
    const key = await textWatermarkKey(MASTER, "t1");
    const out = await marked(PROSE);
    const later = await verifyText(out, key, PRINCIPALS, { now: AT + 4000 * 86_400_000 });
    expect(later).toMatchObject({ attributed: true, day: "2026-11-14" });
    // Before the day it was made, or 4096+ days later, the block resolves to another day and fails.
    expect((await verifyText(out, key, PRINCIPALS, { now: AT - 86_400_000 })).attributed).toBe(false);
    expect((await verifyText(out, key, PRINCIPALS, { now: AT + 4096 * 86_400_000 })).attributed).toBe(false);
  });

  it("marks an answer once it holds eight words, so every block has its full context", async () => {
    const eight = "One two three four five six seven eight nine ten.";
    expect(extractTextBlocks(await marked(eight))).toHaveLength(1);
    expect(extractTextBlocks(await marked(eight))[0]!.context).toBe("one two three four five six seven eight");
    expect(await marked("Yes indeed, that is right.")).toBe("Yes indeed, that is right.");
  });

  it("never touches code, URLs, identifiers or markup", async () => {
    const out = await marked(MIXED);
    expect(out.replace(VISIBLE, "")).toBe(MIXED);
    const code = out.slice(out.indexOf("```"), out.lastIndexOf("```") + 3);
    expect(code).not.toMatch(VISIBLE);
    expect(out).toContain("`fetch(url)`");
    expect(out).toContain("https://example.com/docs/page?x=1 ");
    expect(extractTextBlocks(out).length).toBeGreaterThanOrEqual(1);
    expect((await verify(out)).principal).toBe("key:k_beta");
  });

  it("gives the same text for any split of a stream, surrogate pairs and code fences included", async () => {
    const key = await textWatermarkKey(MASTER, "t1");
    for (const text of [PROSE, MIXED]) {
      const whole = await (await createTextMarker(key, "sub:carol", AT)).push(text);
      const rng = seededRng(text.length);
      for (let trial = 0; trial < 40; trial++) {
        const marker = await createTextMarker(key, "sub:carol", AT);
        let out = "";
        for (let i = 0; i < text.length; ) {
          const n = trial % 4 === 0 ? 1 : 1 + Math.floor(rng() * 12);
          out += await marker.push(text.slice(i, i + n));
          i += n;
        }
        expect(out).toBe(whole);
      }
    }
  });
});

describe("text watermark verification", () => {
  it("names the principal and the day with a tiny p-value", async () => {
    const v = await verify(await marked(PROSE));
    expect(v).toMatchObject({ attributed: true, principal: "key:k_beta", day: "2026-11-14" });
    expect(v.trials).toBeGreaterThan(15);
    expect(v.matches).toBe(v.trials);
    expect(v.p_value).toBeLessThan(1e-9);
    expect(dayString(0)).toBe("1970-01-01");
  });

  it("survives every 200-character excerpt", async () => {
    const out = await marked(PROSE);
    for (let start = 0; start + 200 <= out.length; start++) {
      const v = await verify(out.slice(start, start + 200));
      expect(v.principal, `excerpt at ${start}`).toBe("key:k_beta");
    }
  });

  it("survives JSON round trips, trimming, Unicode normalization and removal of format (Cf) characters", async () => {
    const out = await marked(PROSE);
    const variants = {
      json: (JSON.parse(JSON.stringify({ content: out })) as { content: string }).content,
      jsonAscii: JSON.parse(JSON.stringify(out).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)) as string,
      trimmed: `  ${out}  `.trim(),
      nfc: out.normalize("NFC"),
      nfd: out.normalize("NFD"),
      nfkc: out.normalize("NFKC"),
      nfkd: out.normalize("NFKD"),
      noCf: out.replace(/\p{Cf}/gu, ""),
      reflowed: out.replace(/\n/g, " "),
    };
    for (const [name, text] of Object.entries(variants)) expect((await verify(text)).principal, name).toBe("key:k_beta");
  });

  it("is removed by stripping default-ignorable code points, and by retyping", async () => {
    const out = await marked(PROSE);
    const stripped = await verify(out.replace(/\p{Default_Ignorable_Code_Point}/gu, ""));
    expect(stripped).toMatchObject({ attributed: false, principal: null, trials: 0, p_value: 1 });
    expect((await verify(PROSE)).attributed).toBe(false);
  });

  it("does not attribute to another tenant, principal or a damaged block", async () => {
    const out = await marked(PROSE, "sub:erin");
    const v = await verify(out);
    expect(v).toMatchObject({ attributed: false, principal: null, matches: 0 });
    expect((await verify(await marked(PROSE), "t2")).attributed).toBe(false);
    const block = extractTextBlocks(await marked(PROSE))[0]!;
    expect(block.dayLow).toBe(Math.floor(AT / 86_400_000) % 4096);
    // Flip one selector of every block: the tag no longer verifies.
    const damaged = (await marked(PROSE)).replace(/\u2060(.)/g, (_m, c: string) => `\u2060${String.fromCharCode(c.charCodeAt(0) ^ 1)}`);
    expect((await verify(damaged)).attributed).toBe(false);
  });

  it("tells days and principals apart in a text assembled from several answers", async () => {
    const a = await marked(PROSE.slice(0, 600), "sub:carol", AT);
    const b = await marked(PROSE.slice(600), "sub:carol", AT - 3 * 86_400_000);
    const v = await verify(a + b);
    expect(v).toMatchObject({ attributed: true, principal: "sub:carol" });
    expect(v.matches).toBeGreaterThan(5);
    expect(v.matches).toBeLessThan(v.trials);
    expect(["2026-11-14", "2026-11-11"]).toContain(v.day);
  });

  it("does not verify blocks moved into other text: a mark cannot frame its principal", async () => {
    const out = await marked(PROSE);
    const blocks = out.match(/\u2060[\uFE00-\uFE0F]{11}/g)!;
    // Every block, after every plain word of unrelated text in turn.
    const words = UNRELATED.split(" ");
    const framed = words.map((w, i) => w + (blocks[i % blocks.length] ?? "")).join(" ");
    const v = await verify(framed);
    expect(v.trials).toBeGreaterThan(15);
    expect(v).toMatchObject({ attributed: false, matches: 0 });
    // All the blocks together, at the start, at the end, or where the marker would have put them.
    expect((await verify(blocks.join("") + UNRELATED)).attributed).toBe(false);
    expect((await verify(UNRELATED + blocks.join(""))).attributed).toBe(false);
    const replanted = await (await createTextMarker(await textWatermarkKey(MASTER, "t1"), "key:k_beta", AT)).push(UNRELATED);
    const swapped = replanted.replace(/\u2060[\uFE00-\uFE0F]{11}/g, () => blocks.shift() ?? "");
    expect((await verify(swapped)).attributed).toBe(false);
  });

  it("breaks the one block whose words were edited, and keeps the others", async () => {
    const out = await marked(PROSE);
    const edited = out.replace("Fishing boats", "Fishing ships");
    const whole = await verify(out);
    const v = await verify(edited);
    expect(v.attributed).toBe(true);
    expect(v.matches).toBe(whole.matches - 1);
  });
});

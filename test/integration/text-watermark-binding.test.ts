import { describe, expect, it } from "vitest";
import { admin, bearer, call, chatModel, createTenant, issueKey, json } from "../helpers/warden";

/**
 * Issue 8 item 10: a text mark is bound to the words it follows. Genuine output (and an excerpt of
 * it) is attributed; the same invisible characters moved into unrelated text are not, so one marked
 * answer cannot be used to frame its principal.
 */
const BLOCK = /\u2060[\uFE00-\uFE0F]{11}/g;
const UNRELATED = `Quarterly revenue rose on the back of strong demand for industrial pumps, while the board
approved a new buyback programme and confirmed the dividend. Analysts expect margins to narrow next
year as raw material costs climb, and the company warned that two plants will close for maintenance in
the spring. Shares ended the day slightly higher after a volatile morning of trading in Frankfurt.`;

type Verdict = { attributed: boolean; principal: string | null; matches: number; trials: number };
const verify = async (id: string, text: string) => (await (await admin(`/tenants/${id}/watermark/verify`, "POST", { kind: "text", text })).json()) as Verdict;

async function setup() {
  const { id } = await createTenant({ models: [chatModel("chat", "", { protection: { text_watermark: true } })] });
  const key = await issueKey(id);
  return { id, auth: bearer(key.key), principal: `key:${key.id}` };
}

async function answer(id: string, auth: Record<string, string>, stream: boolean): Promise<string> {
  // A fixed seed: the demo model's answer is then long enough to carry several blocks, every run.
  const res = await call(`/t/${id}/v1/chat/completions`, json({ model: "chat", messages: [{ role: "user", content: "tell me about the harbour" }], max_tokens: 120, seed: 11, stream }, auth));
  expect(res.status).toBe(200);
  if (!stream) return ((await res.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]!.message.content;
  const lines = (await res.text()).split("\n").filter((l) => l.startsWith("data: {"));
  return lines.map((l) => (JSON.parse(l.slice(6)) as { choices: Array<{ delta?: { content?: string } }> }).choices[0]?.delta?.content ?? "").join("");
}

describe("text watermark bound to its text", () => {
  it("attributes genuine output and a 200-character excerpt, not its marks moved into unrelated text", async () => {
    const t = await setup();
    const content = await answer(t.id, t.auth, false);
    const blocks = content.match(BLOCK) ?? [];
    expect(content.replace(BLOCK, "").length, content).toBeGreaterThan(300);
    expect(blocks.length).toBeGreaterThanOrEqual(3);

    expect(await verify(t.id, content)).toMatchObject({ attributed: true, principal: t.principal });
    // An excerpt from the middle, cut at neither end of the answer. Where blocks fall depends on the
    // principal (a new key id each run), so the excerpt is placed relative to the second block: it
    // starts 10 words before it, so it holds that block and its 8 words of context on every run.
    const second = [...content.matchAll(BLOCK)][1]!.index!;
    const wordStarts = [...content.slice(0, second).matchAll(/(?<=\s)\S/g)].map((m) => m.index!);
    const start = wordStarts[wordStarts.length - 10] ?? 0;
    const excerpt = content.slice(start, start + 200);
    expect(excerpt.match(BLOCK)?.length ?? 0).toBeGreaterThanOrEqual(1);
    expect(await verify(t.id, excerpt)).toMatchObject({ attributed: true, principal: t.principal });

    // The marks alone, after the words of other text: each block names the principal and the day
    // exactly as before, but not the words it sits behind.
    const words = UNRELATED.split(" ");
    const framed = words.map((w, i) => (i % 9 === 8 ? w + blocks[Math.floor(i / 9) % blocks.length] : w)).join(" ");
    const verdict = await verify(t.id, framed);
    expect(verdict).toMatchObject({ attributed: false, principal: null, matches: 0 });
    expect(verdict.trials).toBeGreaterThanOrEqual(3);
    expect((await verify(t.id, UNRELATED + blocks.join(""))).attributed).toBe(false);
  });

  it("marks a stream exactly as the same answer sent whole, so streamed text verifies too", async () => {
    const t = await setup();
    const whole = await answer(t.id, t.auth, false);
    const streamed = await answer(t.id, t.auth, true);
    expect(streamed.replace(BLOCK, "")).toBe(whole.replace(BLOCK, ""));
    expect(streamed).toBe(whole);
    expect(await verify(t.id, streamed)).toMatchObject({ attributed: true, principal: t.principal });
  });
});

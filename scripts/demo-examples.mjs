/**
 * The example commands `npm start` prints, and what `npm start -- --check` expects of each when
 * it runs them exactly as printed (through bash, from the repository root).
 */
import { generateDigits, showDigit } from "./demo-origin/digits.mjs";
import { argmax, predictProba } from "./demo-origin/classifier.mjs";
import { digitsModel } from "./demo-origin/oip-routes.mjs";

/** A generated 8×8 digit the demo classifier gets right with confidence, for the OIP example. */
export function exampleDigit(label = 3) {
  const { X, y } = generateDigits({ n: 200, seed: 2026 });
  const model = digitsModel();
  const i = y.findIndex((d, j) => d === label && predictProba(model, X[j])[label] > 0.95);
  return { label, image: X[i] ?? X[y.indexOf(label)] };
}

function parseJson(stdout, what) {
  try {
    return JSON.parse(stdout);
  } catch {
    throw new Error(`${what}: not JSON: ${stdout.slice(0, 500)}`);
  }
}

/**
 * How a shell gets the admin token without it being typed (a token on a command line ends up in
 * shell history and `ps`): from the environment `npm start` was given, else from the secrets
 * file it generated beside the state.
 */
export function adminTokenCommand({ fromEnv, secretsFile }) {
  return fromEnv ? `"$ADMIN_TOKEN"` : `"$(node -p 'require(process.argv[1]).ADMIN_TOKEN' ${JSON.stringify(secretsFile)})"`;
}

/**
 * `[{ title, command, check(stdout) → one-line summary (throws on failure) }]`.
 * `admin`: `{ fromEnv, secretsFile }`, where the admin token came from (adminTokenCommand).
 */
export function demoExamples({ baseUrl, tenant, key, admin }) {
  const api = `${baseUrl}/t/${tenant}`;
  const auth = `\\\n  -H "authorization: Bearer ${key}" \\\n  -H "content-type: application/json"`;
  const digit = exampleDigit();
  const chatBody = JSON.stringify({ model: "demo-chat", messages: [{ role: "user", content: "Tell me about the river." }], max_tokens: 40, temperature: 0.5 });
  const streamBody = JSON.stringify({ model: "demo-chat", messages: [{ role: "user", content: "What does the keeper of the lighthouse do?" }], max_tokens: 30, stream: true });
  const responsesBody = JSON.stringify({ model: "demo-chat", instructions: "Answer briefly.", input: "Tell me about the harbour.", max_output_tokens: 30 });
  const messagesBody = JSON.stringify({ model: "demo-chat", max_tokens: 30, system: "Answer briefly.", messages: [{ role: "user", content: "Tell me about the bridge." }] });
  const anthropicAuth = `\\\n  -H "x-api-key: ${key}" \\\n  -H "anthropic-version: 2023-06-01" \\\n  -H "content-type: application/json"`;
  const oipBody = JSON.stringify({ inputs: [{ name: "input-0", datatype: "FP32", shape: [1, 64], data: digit.image }] });
  const sdk = [
    `node --input-type=module <<'EOF'`,
    `import OpenAI from "openai";`,
    `const client = new OpenAI({ baseURL: "${api}/v1", apiKey: "${key}" });`,
    `const chat = await client.chat.completions.create({ model: "demo-chat", messages: [{ role: "user", content: "Tell me about the sea." }], max_tokens: 40, temperature: 0.5 });`,
    `console.log(chat.choices[0].message.content);`,
    `const stream = await client.chat.completions.create({ model: "demo-chat", messages: [{ role: "user", content: "What grows in the gardens?" }], max_tokens: 30, stream: true });`,
    `for await (const chunk of stream) process.stdout.write(chunk.choices[0]?.delta?.content ?? "");`,
    `const emb = await client.embeddings.create({ model: "demo-embed", input: "the river runs past the old town" });`,
    `console.log("\\nembedding dimensions:", emb.data[0].embedding.length);`,
    `EOF`,
  ].join("\n");

  return [
    {
      title: "Chat completion (OpenAI API)",
      command: `curl -sS ${api}/v1/chat/completions ${auth} \\\n  -d '${chatBody}'`,
      check(stdout) {
        const body = parseJson(stdout, "chat");
        const text = body.choices?.[0]?.message?.content;
        if (typeof text !== "string" || text.length === 0 || !(body.usage?.total_tokens > 0)) throw new Error(`chat: unexpected answer ${stdout.slice(0, 500)}`);
        return `"${text.slice(0, 80)}…" (${body.usage.total_tokens} tokens)`;
      },
    },
    {
      title: "Streaming chat completion (server-sent events)",
      command: `curl -sSN ${api}/v1/chat/completions ${auth} \\\n  -d '${streamBody}'`,
      check(stdout) {
        const events = stdout.split("\n").filter((l) => l.startsWith("data: "));
        if (events.length < 3 || events.at(-1) !== "data: [DONE]") throw new Error(`stream: unexpected events ${stdout.slice(0, 500)}`);
        return `${events.length} events, ending with data: [DONE]`;
      },
    },
    {
      title: "OpenAI Responses API (/v1/responses; add \"stream\": true for typed events)",
      command: `curl -sS ${api}/v1/responses ${auth} \\\n  -d '${responsesBody}'`,
      check(stdout) {
        const body = parseJson(stdout, "responses");
        const text = body.output?.[0]?.content?.[0]?.text;
        if (typeof text !== "string" || text.length === 0 || !(body.usage?.total_tokens > 0)) throw new Error(`responses: unexpected answer ${stdout.slice(0, 500)}`);
        return `"${text.slice(0, 80)}…" (${body.usage.total_tokens} tokens)`;
      },
    },
    {
      title: "Anthropic Messages API (/v1/messages), with the headers Anthropic clients send",
      command: `curl -sS ${api}/v1/messages ${anthropicAuth} \\\n  -d '${messagesBody}'`,
      check(stdout) {
        const body = parseJson(stdout, "messages");
        const text = body.content?.[0]?.text;
        if (typeof text !== "string" || text.length === 0 || !(body.usage?.output_tokens > 0)) throw new Error(`messages: unexpected answer ${stdout.slice(0, 500)}`);
        return `"${text.slice(0, 80)}…" (${body.usage.input_tokens} + ${body.usage.output_tokens} tokens)`;
      },
    },
    {
      title: `Digit classifier (OIP v2 infer); the input is this 8×8 image of a ${digit.label}:\n${showDigit(digit.image).replace(/^/gm, "    ")}`,
      command: `curl -sS ${api}/v2/models/digits/infer ${auth} \\\n  -d '${oipBody}'`,
      check(stdout) {
        const body = parseJson(stdout, "oip");
        const probs = body.outputs?.[0]?.data;
        if (!Array.isArray(probs) || probs.length !== 10) throw new Error(`oip: unexpected answer ${stdout.slice(0, 500)}`);
        return `class ${argmax(probs)}, p=${Math.max(...probs)}`;
      },
    },
    {
      title: "The openai SDK for Node (run from the repository root, where the openai package is installed)",
      command: sdk,
      check(stdout) {
        const lines = stdout.trim().split("\n");
        if (lines.length < 3 || !lines[0] || !/^embedding dimensions: \d+$/.test(lines.at(-1))) throw new Error(`sdk: unexpected output ${stdout.slice(0, 500)}`);
        return `${lines[0].slice(0, 60)}… / ${lines.at(-1)}`;
      },
    },
    {
      title: [
        `Admin console: open ${baseUrl}/admin/ in a browser and sign in with the admin token`,
        admin.fromEnv
          ? "(the ADMIN_TOKEN you gave npm start in the environment; printed above as \"Admin token\")."
          : `(printed above as "Admin token"; generated on the first run and kept in ${admin.secretsFile}, mode 0600).`,
        "The console keeps it in that tab only. This checks that the page is served:",
      ].join("\n# "),
      command: `curl -sS -o /dev/null -w '%{http_code} %{content_type}\\n' ${baseUrl}/admin/`,
      check(stdout) {
        if (!/^200 text\/html/.test(stdout.trim())) throw new Error(`console: unexpected answer ${stdout.slice(0, 200)}`);
        return `${baseUrl}/admin/ → ${stdout.trim()}`;
      },
    },
    {
      title: "The warden CLI over the admin API: the demo tenant's usage per hour (the requests above included)",
      command: [`export WARDEN_URL=${baseUrl}`, `export WARDEN_ADMIN_TOKEN=${adminTokenCommand(admin)}`, `npx warden usage ${tenant} --history hour`].join("\n"),
      check(stdout) {
        const lines = stdout.trim().split("\n");
        if (!/^START\s+REQUESTS\s+TOKENS\s+COST\s+REFUSALS$/.test(lines[0] ?? "") || lines.length !== 50) throw new Error(`cli: unexpected output ${stdout.slice(0, 500)}`);
        const requests = lines.slice(2).reduce((n, l) => n + Number(l.split(/\s+/)[1]), 0);
        return `48 hourly buckets, ${requests} requests`;
      },
    },
  ];
}

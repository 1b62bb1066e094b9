#!/usr/bin/env node
/**
 * `warden`: the admin API from a terminal (docs/cli.md). WARDEN_URL and WARDEN_ADMIN_TOKEN come
 * from the environment, never from arguments (a token on the command line ends up in shell
 * history and `ps`). Human-readable output by default, the API's JSON with --json; a refused call
 * prints the problem's detail and field errors and exits non-zero (codes in client.mjs).
 */
import { Command, CommanderError } from "commander";
import { readFileSync } from "node:fs";
import { CliError, EXIT, adminCall, connection } from "./client.mjs";
import { verifyChain } from "./audit-chain.mjs";
import { table } from "./format.mjs";

const enc = encodeURIComponent;
const program = new Command("warden")
  .description("Operate a Warden deployment through its admin API (WARDEN_URL, WARDEN_ADMIN_TOKEN).")
  .option("--json", "print the API's JSON instead of tables")
  .showHelpAfterError()
  .exitOverride();

/** Runs `fn(api, opts)` for a command and prints what it returns: `{ json, text, exit }`. */
function action(fn) {
  return async (...args) => {
    const cmd = args[args.length - 1];
    const opts = cmd.optsWithGlobals();
    const conn = connection({});
    const api = (method, path, body) => adminCall(conn, method, path, body);
    const out = await fn(api, opts, ...args.slice(0, -2));
    if (out) process.stdout.write(`${opts.json ? JSON.stringify(out.json ?? null, null, 2) : out.text}\n`);
    process.exitCode = out?.exit ?? EXIT.ok;
  };
}

function readJsonArg(file) {
  let text;
  try {
    text = readFileSync(file === "-" ? 0 : file, "utf8");
  } catch (err) {
    throw new CliError(EXIT.usage, `cannot read ${file === "-" ? "standard input" : file}: ${err.code ?? err.message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new CliError(EXIT.usage, `${file === "-" ? "standard input" : file} is not JSON: ${err.message}`);
  }
}

const tenantRows = (items) =>
  table(items, [["ID", (t) => t.id], ["NAME", (t) => t.name], ["MODELS", (t) => t.models.map((m) => m.name).join(",")], ["SCREENING", (t) => t.policy?.screening?.mode]]);

// tenants
const tenants = program.command("tenants").description("list, show, create, update and delete tenants");
tenants.command("list").description("list tenants").action(action(async (api) => {
  const items = [];
  for (let cursor = null; ;) {
    const page = await api("GET", `/tenants?limit=500${cursor ? `&cursor=${enc(cursor)}` : ""}`);
    items.push(...page.items);
    if (!page.next_cursor) break;
    cursor = page.next_cursor;
  }
  return { json: { items }, text: tenantRows(items) };
}));
tenants.command("get <id>").description("show a tenant (secrets as ***)").action(action(async (api, _o, id) => {
  const t = await api("GET", `/tenants/${enc(id)}`);
  return { json: t, text: JSON.stringify(t, null, 2) };
}));
tenants.command("create").description("create a tenant from a JSON document {id, name, models, policy}")
  .requiredOption("-f, --file <path>", "tenant document (JSON; - for standard input)")
  .action(action(async (api, o) => {
    const t = await api("POST", "/tenants", readJsonArg(o.file));
    return { json: t, text: `created tenant ${t.id}` };
  }));
tenants.command("update <id>").description("apply a JSON merge patch (RFC 7396) to a tenant")
  .requiredOption("-f, --file <path>", "merge patch (JSON; - for standard input)")
  .action(action(async (api, o, id) => {
    const t = await api("PATCH", `/tenants/${enc(id)}`, readJsonArg(o.file));
    return { json: t, text: `updated tenant ${t.id}` };
  }));
tenants.command("delete <id>").description("delete a tenant, its keys and all its state")
  .requiredOption("--yes", "confirm: this cannot be undone")
  .action(action(async (api, _o, id) => {
    await api("DELETE", `/tenants/${enc(id)}`);
    return { json: { deleted: id }, text: `deleted tenant ${id}` };
  }));

// keys
const keys = program.command("keys").description("issue, list and revoke API keys");
keys.command("list <tenant>").description("list a tenant's keys (never the secrets)").action(action(async (api, _o, tenant) => {
  const { items } = await api("GET", `/tenants/${enc(tenant)}/keys`);
  return { json: { items }, text: table(items, [["ID", (k) => k.id], ["NAME", (k) => k.name], ["SCOPES", (k) => k.scopes.join(",")], ["CREATED", (k) => k.created_at], ["EXPIRES", (k) => k.expires_at], ["REVOKED", (k) => k.revoked_at]]) };
}));
keys.command("issue <tenant>").description("issue a key; it is printed once and cannot be shown again")
  .requiredOption("-n, --name <name>", "what the key is for")
  .option("-s, --scopes <models>", "comma-separated model names (default: all)")
  .option("-e, --expires-at <time>", "RFC 3339 expiry, e.g. 2027-01-01T00:00:00Z")
  .action(action(async (api, o, tenant) => {
    const body = { name: o.name, ...(o.scopes ? { scopes: o.scopes.split(",").map((s) => s.trim()).filter(Boolean) } : {}), ...(o.expiresAt ? { expires_at: o.expiresAt } : {}) };
    const k = await api("POST", `/tenants/${enc(tenant)}/keys`, body);
    return { json: k, text: `issued key ${k.id} (${k.name}); store it now, it is not shown again:\n${k.key}` };
  }));
keys.command("revoke <tenant> <keyId>").description("revoke a key (effective for the next request)").action(action(async (api, _o, tenant, keyId) => {
  await api("DELETE", `/tenants/${enc(tenant)}/keys/${enc(keyId)}`);
  return { json: { revoked: keyId }, text: `revoked key ${keyId}` };
}));

// usage
const cost = (v) => (typeof v === "number" ? `$${v.toFixed(4)}` : undefined);
const refusalText = (r) => Object.entries(r).map(([code, n]) => `${code}:${n}`).join(",") || undefined;
program.command("usage <tenant>").description("requests, tokens and extraction state per window and principal; or usage over time")
  .option("--history <bucket>", "usage over time instead, per UTC `hour` (last 48) or `day` (last 30)")
  .option("--from <time>", "with --history: RFC 3339 start")
  .option("--to <time>", "with --history: RFC 3339 end (default now)")
  .action(action(async (api, o, tenant) => {
  if (o.history) {
    const q = new URLSearchParams({ bucket: o.history, ...(o.from ? { from: o.from } : {}), ...(o.to ? { to: o.to } : {}) });
    const h = await api("GET", `/tenants/${enc(tenant)}/usage/history?${q}`);
    const rows = table(h.buckets, [["START", (b) => b.start], ["REQUESTS", (b) => b.requests], ["TOKENS", (b) => b.tokens], ["COST", (b) => cost(b.cost)], ["REFUSALS", (b) => refusalText(b.refusals)]]);
    return { json: h, text: rows };
  }
  const u = await api("GET", `/tenants/${enc(tenant)}/usage`);
  const windows = table(Object.entries(u.windows).map(([name, w]) => ({ name, ...w })), [["WINDOW", (w) => w.name], ["START", (w) => w.start], ["REQUESTS", (w) => w.requests], ["TOKENS", (w) => w.tokens], ["COST", (w) => cost(w.cost)]]);
  const principals = table(u.principals, [["PRINCIPAL", (p) => p.principal], ["REQ/DAY", (p) => p.requests?.day], ["TOKENS/DAY", (p) => p.tokens?.day], ["SCORE", (p) => p.extraction?.score?.toFixed(3)], ["STATE", (p) => p.extraction?.state], ["UNTIL", (p) => p.extraction?.until]]);
  return { json: u, text: `${windows}\n\n${principals}` };
}));

// audit verify
program.command("audit").description("audit logs").command("verify [tenant]")
  .description("fetch a whole audit log (the global one without a tenant) and check its hash chain here")
  .option("--expect <seq:hash>", "an anchor kept from earlier: the entry at seq must still have this hash")
  .action(action(async (api, o, tenant) => {
    const path = tenant ? `/tenants/${enc(tenant)}/audit` : "/audit";
    const items = [];
    let first;
    for (let cursor = null; ;) {
      const page = await api("GET", `${path}?limit=1000${cursor ? `&cursor=${enc(cursor)}` : ""}`);
      first ??= page;
      items.push(...page.items);
      if (!page.next_cursor) break;
      cursor = page.next_cursor;
    }
    let anchor;
    if (o.expect) {
      const m = /^(\d+):([0-9a-f]{64})$/.exec(o.expect);
      if (!m) throw new CliError(EXIT.usage, "--expect must be <seq>:<64 hex digits>, e.g. 12:ab34…");
      anchor = { seq: Number(m[1]), hash: m[2] };
    }
    const local = verifyChain(items, first.head, anchor);
    const valid = local.valid && first.chain_valid;
    const what = tenant ? `audit log of ${tenant}` : "global audit log";
    const text = valid
      ? `${what}: chain valid, ${local.checked} entries, head ${first.head.seq}:${first.head.hash}`
      : `${what}: chain BROKEN (${local.valid ? "Warden reports chain_valid: false" : `${local.problem} at seq ${local.seq}`}), ${local.checked} entries checked`;
    return { json: { valid, warden_chain_valid: first.chain_valid, ...local, head: first.head }, text, exit: valid ? EXIT.ok : EXIT.check_failed };
  }));

// principal reset
program.command("principal").description("principals (key:<id>, sub:<subject>)").command("reset <tenant> <principal>")
  .description("clear a principal's extraction score, state and cooldown")
  .action(action(async (api, _o, tenant, principal) => {
    await api("POST", `/tenants/${enc(tenant)}/principals/${enc(principal)}/reset`);
    return { json: { reset: principal }, text: `reset ${principal}` };
  }));

// watermark verify
program.command("watermark").description("watermark proof").command("verify <tenant>")
  .description("attribute suspect output: text (--text, --text-file or standard input), or a full request body (--body)")
  .option("-t, --text <text>", "the suspect text")
  .option("--text-file <path>", "read the suspect text from a file (- for standard input)")
  .option("-b, --body <path>", "a whole verify request (labels or embeddings), JSON; - for standard input")
  .action(action(async (api, o, tenant) => {
    let body;
    if (o.body) body = readJsonArg(o.body);
    else if (o.text !== undefined) body = { kind: "text", text: o.text };
    else body = { kind: "text", text: readFileSync(o.textFile && o.textFile !== "-" ? o.textFile : 0, "utf8") };
    const r = await api("POST", `/tenants/${enc(tenant)}/watermark/verify`, body);
    const text = r.attributed
      ? `attributed to ${r.principal}${r.day ? ` on ${r.day}` : ""} (p = ${r.p_value?.toExponential(2)}, ${r.matches}/${r.trials})`
      : `not attributed (p = ${r.p_value?.toExponential?.(2) ?? "—"}, ${r.matches ?? "—"}/${r.trials ?? "—"})`;
    return { json: r, text, exit: r.attributed ? EXIT.ok : EXIT.check_failed };
  }));

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // Help and version exit 0; a bad argument or missing option is a usage error.
    process.exitCode = err.exitCode === 0 ? 0 : EXIT.usage;
  } else if (err instanceof CliError) {
    if (program.opts().json && err.problem) process.stdout.write(`${JSON.stringify(err.problem, null, 2)}\n`);
    process.stderr.write(`warden: ${err.message}\n`);
    process.exitCode = err.exitCode;
  } else {
    process.stderr.write(`warden: ${err?.message ?? err}\n`);
    process.exitCode = EXIT.api;
  }
}

import { html } from "./html.js";

/** A problem's `errors` (zod paths such as "models.0.origins.0.url") by path. */
export function errorsByPath(problem) {
  const out = new Map();
  for (const e of problem?.errors ?? []) out.set(e.path, [...(out.get(e.path) ?? []), e.message]);
  return out;
}

/** Messages for the field at `path` and, with `prefix`, for anything below it. */
export function messagesAt(errors, path, { prefix = false } = {}) {
  const out = [];
  for (const [p, ms] of errors) {
    if (p === path) out.push(...ms);
    else if (prefix && p.startsWith(`${path}.`)) out.push(...ms.map((m) => `${p.slice(path.length + 1)}: ${m}`));
  }
  return out;
}

export function FieldErrors({ messages }) {
  if (!messages?.length) return null;
  return html`<ul class="field-errors" role="alert">${messages.map((m) => html`<li>${m}</li>`)}</ul>`;
}

/** A problem shown at the top of a form or page: its detail and request id. */
export function Problem({ error }) {
  if (!error) return null;
  return html`<div class="problem" role="alert">
    <strong>${error.status ? `${error.status} ${error.code}` : "Error"}</strong> ${error.message}
    ${error.requestId ? html`<small> (request ${error.requestId})</small>` : null}
  </div>`;
}

export function Loading() {
  return html`<p class="muted">Loading…</p>`;
}

export const fmtNumber = (n) => (typeof n === "number" ? n.toLocaleString("en-US", { maximumFractionDigits: 6 }) : "—");
export const fmtUsd = (n) => (typeof n === "number" ? `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 6 })}` : "—");
export const fmtTime = (s) => (s ? new Date(s).toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z") : "—");

import { useState } from "preact/hooks";
import { html } from "../html.js";
import { FieldErrors, Problem, errorsByPath, messagesAt } from "../ui.js";

/**
 * Create or edit a tenant: id and name, each model's name, protocol and origins as fields, the
 * rest of a model and each policy section as JSON. The server's zod errors come back with paths
 * ("models.0.origins.1.url", "policy.limits.burst") and are shown at the field they name.
 */
const POLICY_SECTIONS = ["auth", "limits", "screening", "extraction"];
const EMPTY_MODEL = { name: "", protocol: "openai", origins: [{ url: "", weight: 1, headers: {} }], rest: "{}" };

const pretty = (v) => JSON.stringify(v ?? {}, null, 2);
/** Tall enough for the JSON it holds, within reason. */
const rowsFor = (text) => Math.min(18, Math.max(4, text.split("\n").length + 1));

function toForm(t) {
  const policy = t?.policy ?? {};
  return {
    id: t?.id ?? "",
    name: t?.name ?? "",
    models: (t?.models ?? []).map(({ name, protocol, origins, ...rest }) => ({
      name,
      protocol,
      origins: origins.map((o) => ({ url: o.url, weight: o.weight ?? 1, headers: o.headers ?? {} })),
      rest: pretty(rest),
    })),
    policy: Object.fromEntries(POLICY_SECTIONS.map((s) => [s, policy[s] === undefined ? "{}" : pretty(policy[s])])),
  };
}

/** The document to send, or client-side errors (bad JSON) by path. */
function fromForm(f) {
  const errors = [];
  const parse = (text, path) => {
    try {
      const v = JSON.parse(text || "{}");
      if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Error("must be a JSON object");
      return v;
    } catch (e) {
      errors.push({ path, message: `not valid JSON: ${e.message}` });
      return {};
    }
  };
  const models = f.models.map((m, i) => ({
    ...parse(m.rest, `models.${i}`),
    name: m.name,
    protocol: m.protocol,
    origins: m.origins.map((o) => ({ url: o.url, weight: Number(o.weight), ...(Object.keys(o.headers).length ? { headers: o.headers } : {}) })),
  }));
  const policy = Object.fromEntries(POLICY_SECTIONS.map((s) => [s, parse(f.policy[s], `policy.${s}`)]).filter(([, v]) => Object.keys(v).length));
  return { doc: { id: f.id, name: f.name, models, policy }, errors };
}

export function TenantForm({ tenant, onSave, onCancel }) {
  const creating = !tenant;
  const [form, setForm] = useState(() => toForm(tenant));
  const [problem, setProblem] = useState(null);
  const [busy, setBusy] = useState(false);
  const errors = errorsByPath(problem);
  const update = (fn) => setForm((f) => { const next = structuredClone(f); fn(next); return next; });

  async function submit(e) {
    e.preventDefault();
    const { doc, errors: local } = fromForm(form);
    if (local.length) return setProblem({ status: 0, code: "invalid_json", message: "Some fields are not valid JSON.", errors: local });
    setBusy(true);
    try {
      await onSave(doc);
    } catch (err) {
      setProblem(err);
    } finally {
      setBusy(false);
    }
  }

  const input = (label, path, value, set, attrs = {}) => html`<label class="field">${label}
    <input value=${value} onInput=${(e) => set(e.currentTarget.value)} class=${messagesAt(errors, path).length ? "invalid" : ""} ...${attrs} />
    <${FieldErrors} messages=${messagesAt(errors, path)} />
  </label>`;

  // Errors the fields below do not show (e.g. "models" or "(root)") go at the top.
  const shown = (p) => /^(id|name)$/.test(p) || /^models\.\d+/.test(p) || /^policy\.\w+/.test(p);
  const elsewhere = [...errors].filter(([p]) => !shown(p)).flatMap(([p, ms]) => ms.map((m) => `${p}: ${m}`));

  return html`<form class="tenant-form" onSubmit=${submit} novalidate>
    <h2>${creating ? "New tenant" : `Edit ${tenant.id}`}</h2>
    <${Problem} error=${problem} />
    <${FieldErrors} messages=${elsewhere} />
    <div class="row">
      ${creating ? input("Id", "id", form.id, (v) => update((f) => (f.id = v)), { name: "id", placeholder: "acme", required: true }) : null}
      ${input("Name", "name", form.name, (v) => update((f) => (f.name = v)), { name: "name", placeholder: "Acme Corp" })}
    </div>
    <h3>Models</h3>
    ${form.models.map((m, i) => html`<fieldset class="model" data-model=${i}>
      <legend>Model ${i + 1}</legend>
      <div class="row">
        ${input("Name", `models.${i}.name`, m.name, (v) => update((f) => (f.models[i].name = v)), { name: `models.${i}.name` })}
        <label class="field">Protocol
          <select name=${`models.${i}.protocol`} value=${m.protocol} onChange=${(e) => update((f) => (f.models[i].protocol = e.currentTarget.value))}>
            <option value="openai">openai</option><option value="oip">oip</option>
          </select>
          <${FieldErrors} messages=${messagesAt(errors, `models.${i}.protocol`)} />
        </label>
        <button type="button" class="link danger" onClick=${() => update((f) => f.models.splice(i, 1))}>Remove model</button>
      </div>
      ${m.origins.map((o, j) => html`<div class="row origin">
        ${input(`Origin ${j + 1} URL`, `models.${i}.origins.${j}.url`, o.url, (v) => update((f) => (f.models[i].origins[j].url = v)), { name: `models.${i}.origins.${j}.url`, placeholder: "https://gpu-a.example", class: "wide" })}
        ${input("Weight", `models.${i}.origins.${j}.weight`, o.weight, (v) => update((f) => (f.models[i].origins[j].weight = v)), { name: `models.${i}.origins.${j}.weight`, type: "number", min: 0, class: "narrow" })}
        ${Object.keys(o.headers).length ? html`<span class="muted">headers: ${Object.keys(o.headers).join(", ")} (kept)</span>` : null}
        <button type="button" class="link danger" onClick=${() => update((f) => f.models[i].origins.splice(j, 1))}>×</button>
      </div>`)}
      <${FieldErrors} messages=${messagesAt(errors, `models.${i}.origins`)} />
      <button type="button" class="link" onClick=${() => update((f) => f.models[i].origins.push({ url: "", weight: 1, headers: {} }))}>+ origin</button>
      <label class="field">Other settings (JSON: protection, inputs, outputs, timeout_ms, pricing…)
        <textarea name=${`models.${i}.rest`} rows=${rowsFor(m.rest)} spellcheck="false" value=${m.rest} onInput=${(e) => update((f) => (f.models[i].rest = e.currentTarget.value))}></textarea>
        <${FieldErrors} messages=${messagesAt(errors, `models.${i}`).concat(
          [...errors].filter(([p]) => p.startsWith(`models.${i}.`) && !/^models\.\d+\.(name|protocol|origins)(\.|$)/.test(p)).flatMap(([p, ms]) => ms.map((msg) => `${p.split(".").slice(2).join(".")}: ${msg}`)),
        )} />
      </label>
    </fieldset>`)}
    <button type="button" onClick=${() => update((f) => f.models.push(structuredClone(EMPTY_MODEL)))}>+ Add model</button>
    <h3>Policy</h3>
    <div class="grid2">
      ${POLICY_SECTIONS.map((s) => html`<label class="field">${s}
        <textarea name=${`policy.${s}`} rows=${rowsFor(form.policy[s])} spellcheck="false" class=${messagesAt(errors, `policy.${s}`, { prefix: true }).length ? "invalid" : ""}
          value=${form.policy[s]} onInput=${(e) => update((f) => (f.policy[s] = e.currentTarget.value))}></textarea>
        <${FieldErrors} messages=${messagesAt(errors, `policy.${s}`, { prefix: true })} />
      </label>`)}
    </div>
    <div class="actions">
      <button type="submit" class="primary" disabled=${busy}>${creating ? "Create tenant" : "Save changes"}</button>
      <button type="button" class="link" onClick=${onCancel}>Cancel</button>
    </div>
  </form>`;
}

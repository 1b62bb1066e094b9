import { useState } from "preact/hooks";
import { html } from "../html.js";
import { call, enc } from "../api.js";
import { FieldErrors, Problem, errorsByPath, messagesAt } from "../ui.js";

/** Paste text found elsewhere; Warden says whether it carries this tenant's mark, and whose. */
export function WatermarkPage({ tenant }) {
  const [result, setResult] = useState(null);
  const [problem, setProblem] = useState(null);
  const [busy, setBusy] = useState(false);
  if (!tenant) return html`<p class="muted">Pick a tenant.</p>`;
  async function verify(e) {
    e.preventDefault();
    setBusy(true);
    try {
      setResult(await call("POST", `/tenants/${enc(tenant)}/watermark/verify`, { kind: "text", text: String(new FormData(e.currentTarget).get("text")) }));
      setProblem(null);
    } catch (err) {
      setProblem(err);
      setResult(null);
    } finally {
      setBusy(false);
    }
  }
  const errors = errorsByPath(problem);
  return html`<section>
    <h2>Watermark check for ${tenant}</h2>
    <form onSubmit=${verify}>
      <label class="field">Suspect text (e.g. a model answer published elsewhere)
        <textarea name="text" rows="8" required spellcheck="false"></textarea>
        <${FieldErrors} messages=${messagesAt(errors, "text")} />
      </label>
      <button type="submit" class="primary" disabled=${busy}>Check</button>
    </form>
    <${Problem} error=${problem} />
    ${result ? html`<dl class="result" data-attributed=${String(result.attributed)}>
      <dt>Attributed</dt><dd><span class=${`badge ${result.attributed ? "warn" : "good"}`}>${result.attributed ? "yes" : "no"}</span></dd>
      <dt>Principal</dt><dd><code>${result.principal ?? "—"}</code></dd>
      <dt>Day</dt><dd>${result.day ?? "—"}</dd>
      <dt>p-value</dt><dd>${typeof result.p_value === "number" ? result.p_value.toExponential(2) : "—"}</dd>
      <dt>Matches</dt><dd>${result.matches ?? "—"} of ${result.trials ?? "—"}</dd>
    </dl>` : null}
  </section>`;
}

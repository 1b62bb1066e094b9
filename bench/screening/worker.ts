/**
 * Bench Worker for bench/screening/run.mjs: screening alone, without the rest of Warden.
 *   POST /score        body = one text; scores it (one inference), returns { score, windows }
 *   POST /noop         reads the body and answers, for the same request cost minus screening
 *   GET  /loop?kb=&n=[&only=normalize|featurize|windows|soup|pack|rows|infer]
 *                      scores a kb-KB prompt n times (or only one part of it: normalize; featurize
 *                      = normalize + windows; windows of the text normalized beforehand; the
 *                      suffix head on it; pack the windows; rows = the windows packed as
 *                      scoreTexts does, straight from the featurizer's scratch; the inference
 *                      on windows packed beforehand) inside the
 *                      isolate; returns the mean in ms (workerd's clock has millisecond
 *                      resolution, so only long loops are timed)
 */
import { screenTexts } from "../../worker/screen";
import { pack, packPooled, packRowsPooled } from "../../worker/screen/batch";
import { normalize, screeningWindows, withScreeningRows } from "../../worker/screen/featurize";
import { bundledWordTable } from "../../worker/screen/vectors";
import { soupScore } from "../../worker/screen/soup";
import { bundledSoupHead } from "../../worker/screen/soup-lm";
import { bundledModel } from "../../worker/screen/model";
import { runScreen } from "../../worker/screen/ort-runtime";
import { prompt } from "./prompt";

interface Env {
  MODEL_MANIFEST_PUBLIC_KEY?: string;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/noop") return Response.json({ bytes: (await request.text()).length });
    if (url.pathname === "/score") return Response.json(await screenTexts([await request.text()], env));
    if (url.pathname === "/loop") {
      const text = prompt(Number(url.searchParams.get("kb") ?? 2));
      const n = Number(url.searchParams.get("n") ?? 1000);
      const only = url.searchParams.get("only");
      const model = await bundledModel(env.MODEL_MANIFEST_PUBLIC_KEY);
      const normalized = normalize(text);
      const ws = screeningWindows(text);
      const b = pack(ws);
      const steps: Record<string, () => Promise<unknown>> = {
        normalize: async () => normalize(text),
        featurize: async () => screeningWindows(text),
        windows: async () => screeningWindows(text, bundledWordTable(), normalized),
        soup: async () => soupScore(normalized, bundledSoupHead()),
        // As scoreTexts packs: into pooled buffers, given back after the inference.
        pack: async () => packPooled(ws).release(),
        // What scoreTexts does for windows and packing since withScreeningRows (bundles before it run the whole call here).
        rows: async () => withScreeningRows([text], [normalized], (rows) => packRowsPooled(rows, 0, rows.perText[0]!).release()),
        infer: () => runScreen(model.session, b.indices, b.values, b.rows, b.width),
      };
      const once = steps[only ?? ""] ?? (() => screenTexts([text], env));
      await once();
      const start = Date.now();
      for (let i = 0; i < n; i++) await once();
      return Response.json({ n, only, mean_ms: (Date.now() - start) / n });
    }
    return new Response("not found", { status: 404 });
  },
};

import { createTextMarker, type TextMarker } from "../protect/text-watermark";
import type { JsonProtectionContext } from "./protect-json";

/**
 * One text marker per generated text of a stream (a choice index, a content part, a content
 * block), made on first use: the mark then comes out the same whatever the chunking.
 */
export class TextMarkers<K> {
  readonly #markers = new Map<K, Promise<TextMarker>>();

  constructor(private readonly ctx: Pick<JsonProtectionContext, "keys" | "principal">) {}

  get(key: K): Promise<TextMarker> {
    let marker = this.#markers.get(key);
    if (!marker) {
      marker = this.ctx.keys.text().then((k) => createTextMarker(k, this.ctx.principal, Date.now()));
      this.#markers.set(key, marker);
    }
    return marker;
  }
}

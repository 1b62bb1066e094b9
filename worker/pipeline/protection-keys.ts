import type { Tenant } from "../config/tenant";
import { labelWatermarkKey } from "../protect/label-watermark";
import { embeddingDirection, embeddingWatermarkKey } from "../protect/embedding-watermark";
import { textWatermarkKey } from "../protect/text-watermark";
import { receiptKey, receiptKid, type ReceiptKey } from "../protect/receipts";
import { NoiseSeeds, PositionNoise, outputNoiseKey } from "../protect/keyed-noise";
import { promptDigest } from "../protect/logprobs";

/**
 * Derived protection keys, cached per isolate: deriving costs HKDF rounds, and the same
 * principal usually sends many requests in a row. The cache is bounded (oldest out first) so a
 * flood of principals cannot grow it without limit.
 */
const MAX_ENTRIES = 2048;
const cache = new Map<string, Promise<unknown>>();

// One map for every kind of key: `id` names the kind, so the entry under it is always a Promise<T>
// of the kind that made it (the one cast this needs).
function memo<T>(id: string, make: () => Promise<T>): Promise<T> {
  let hit = cache.get(id) as Promise<T> | undefined;
  if (hit) {
    cache.delete(id);
    cache.set(id, hit);
    return hit;
  }
  hit = make();
  cache.set(id, hit);
  hit.catch(() => cache.delete(id));
  if (cache.size > MAX_ENTRIES) {
    const oldest = cache.keys().next();
    if (!oldest.done) cache.delete(oldest.value);
  }
  return hit;
}

export class ProtectionKeys {
  constructor(
    private readonly master: Uint8Array,
    private readonly tenant: Tenant,
    private readonly model: string,
    private readonly principal: string,
  ) {}

  #base: string | null = null;

  // JSON of [kind, tenant, model, principal, ...more], the context written out once per answer.
  #id(kind: string, ...more: Array<string | number>): string {
    this.#base ??= JSON.stringify([this.tenant.id, this.model, this.principal]).slice(1, -1);
    const tail = more.length ? `,${JSON.stringify(more).slice(1, -1)}` : "";
    return `[${JSON.stringify(kind)},${this.#base}${tail}]`;
  }

  label(): Promise<CryptoKey> {
    return memo(this.#id("label"), () => labelWatermarkKey(this.master, this.tenant.id, this.model, this.principal));
  }

  embeddingDirection(dim: number): Promise<Float64Array> {
    return memo(this.#id("embedding", dim), async () =>
      embeddingDirection(await embeddingWatermarkKey(this.master, this.tenant.id, this.model, this.principal), dim),
    );
  }

  #noiseKey(): Promise<CryptoKey> {
    return memo(this.#id("noise"), () => outputNoiseKey(this.master, this.tenant.id, this.model, this.principal));
  }

  /** Keyed noise seeds for one response (identical questions hashed once). */
  async noiseSeeds(): Promise<NoiseSeeds> {
    return new NoiseSeeds(await this.#noiseKey());
  }

  /** Keyed noise for the token logprobs of one response (or one stream) to `request`. */
  async positionNoise(request: Record<string, unknown> | null): Promise<PositionNoise> {
    return new PositionNoise(await this.#noiseKey(), await promptDigest(request));
  }

  text(): Promise<CryptoKey> {
    return memo(JSON.stringify(["text", this.tenant.id]), () => textWatermarkKey(this.master, this.tenant.id));
  }

  /** This UTC month's signing key (it rotates with the month: the memo id names the month). */
  receipt(now = Date.now()): Promise<ReceiptKey> {
    const kid = receiptKidAt(now);
    return memo(`["receipt","${kid}"]`, () => receiptKey(this.master, kid));
  }
}

// The kid of the month in progress, computed when the month changes rather than per answer.
let month = { from: 0, until: 0, kid: "" };
function receiptKidAt(now: number): string {
  if (now < month.from || now >= month.until) {
    const d = new Date(now);
    const from = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    month = { from, until: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1), kid: receiptKid(from) };
  }
  return month.kid;
}

/**
 * A fixed-size window of the most recent numbers (float32), oldest overwritten first. `count` is the
 * number ever pushed, so the slot of the next push is `count % capacity`. Stored as one BLOB.
 */
export class Ring {
  readonly data: Float32Array;
  count: number;

  constructor(readonly capacity: number, data?: Uint8Array | null, count = 0) {
    this.data = new Float32Array(capacity);
    if (data && data.byteLength === capacity * 4) this.data.set(new Float32Array(data.slice().buffer));
    this.count = data && data.byteLength === capacity * 4 ? count : 0;
  }

  push(value: number): void {
    this.data[this.count % this.capacity] = value;
    this.count++;
  }

  get length(): number {
    return Math.min(this.count, this.capacity);
  }

  /** The values held, oldest first. */
  values(): number[] {
    const n = this.length;
    const start = this.count - n;
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) out[i] = this.data[(start + i) % this.capacity] as number;
    return out;
  }

  mean(): number {
    const n = this.length;
    if (n === 0) return 0;
    let s = 0;
    for (let i = 0; i < n; i++) s += this.data[i] as number;
    return s / n;
  }

  clear(): void {
    this.count = 0;
    this.data.fill(0);
  }

  blob(): Uint8Array {
    return new Uint8Array(this.data.buffer.slice(0));
  }
}

/** Server-Timing: one entry per pipeline stage that ran, in the order they ran. */
export type Stage = "auth" | "validate" | "screen" | "budget" | "origin" | "protect";

export class Timing {
  readonly #entries: Array<[Stage, number]> = [];

  /** Runs `fn` and records its duration under `stage`, even when it throws. */
  async measure<T>(stage: Stage, fn: () => Promise<T> | T): Promise<T> {
    const start = performance.now();
    try {
      return await fn();
    } finally {
      this.add(stage, performance.now() - start);
    }
  }

  add(stage: Stage, ms: number): void {
    this.#entries.push([stage, ms]);
  }

  header(): string {
    return this.#entries.map(([stage, ms]) => `${stage};dur=${ms.toFixed(2)}`).join(", ");
  }
}

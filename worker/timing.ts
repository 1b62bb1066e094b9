/**
 * Server-Timing: one entry per pipeline stage that ran, listed in the contract's order (CONTRACT
 * §1, §5) whatever order they ran in — budget runs before screen (worker/pipeline/run.ts).
 */
const STAGES = ["auth", "validate", "screen", "budget", "origin", "protect"] as const;
export type Stage = (typeof STAGES)[number];

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

  /** A stage run twice (a request re-checked under a newer tenant configuration) reports its total once. */
  add(stage: Stage, ms: number): void {
    const had = this.#entries.find((e) => e[0] === stage);
    if (had) had[1] += ms;
    else this.#entries.push([stage, ms]);
  }

  /** Milliseconds spent in `stage`, or undefined when it did not run. */
  duration(stage: Stage): number | undefined {
    const hits = this.#entries.filter(([s]) => s === stage);
    return hits.length ? hits.reduce((sum, [, ms]) => sum + ms, 0) : undefined;
  }

  header(): string {
    const order = (s: Stage) => STAGES.indexOf(s);
    return [...this.#entries].sort((a, b) => order(a[0]) - order(b[0])).map(([stage, ms]) => `${stage};dur=${ms.toFixed(2)}`).join(", ");
  }
}

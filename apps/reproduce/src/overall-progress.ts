/**
 * Wall times of each experiment under `all --quick` on the project's 2-core machine (README "Run times"), used as
 * relative weights for the ETA of `all`: the experiments differ 4-fold in cost, so counting experiments would
 * mislead. The full preset's proportions differ; its ETA is a rough guide only.
 */
const RELATIVE_COST: Readonly<Record<string, number>> = { "four-quadrant": 59, nested: 50, pmse: 142, attack: 180, spirometry: 94 };

/** The one overall line `all` prints before each experiment and at the end. */
export class OverallProgress {
  private readonly started: number;
  private done = 0;

  /**
   * @param names - the experiments, in the order they run.
   * @param write - where the lines go (the CLI: stderr).
   * @param now - a clock in milliseconds (tests pass their own).
   */
  constructor(
    private readonly names: readonly string[],
    private readonly write: (line: string) => void,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.started = now();
  }

  /** Print the line for the start of experiment number `this.done` (0-based), then count it as done on `finish`. */
  starting(name: string): void {
    const elapsed = (this.now() - this.started) / 1000;
    const weight = (n: string) => RELATIVE_COST[n] ?? 100;
    const doneWeight = this.names.slice(0, this.done).reduce((a, n) => a + weight(n), 0);
    const remainingWeight = this.names.slice(this.done).reduce((a, n) => a + weight(n), 0);
    const eta = doneWeight > 0 ? `ETA ${duration((elapsed * remainingWeight) / doneWeight)}` : "ETA after the first experiment";
    this.write(`all: ${this.done}/${this.names.length} experiments done, ${duration(elapsed)} elapsed, ${eta}; now ${name}`);
  }

  /** Count the current experiment as done. */
  finish(): void {
    this.done++;
    if (this.done === this.names.length) this.write(`all: ${this.done}/${this.names.length} experiments done in ${duration((this.now() - this.started) / 1000)}`);
  }
}

/** `1 h 02 min`, `3 min 07 s`, `42 s`. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s >= 3600) return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")} min`;
  if (s >= 60) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
  return `${s} s`;
}

import cliProgress from "cli-progress";

/** A progress reporter for one loop. */
export interface Progress {
  /** Set the number of finished items. */
  update(done: number): void;
  /** Finish the bar (or the log lines). */
  stop(): void;
}

/**
 * A progress bar with ETA (cli-progress) on a terminal; on a non-terminal (CI, a log file) one line every 10 %
 * instead, so logs stay readable.
 */
export function createProgress(label: string, total: number, options: { quiet?: boolean } = {}): Progress {
  if (options.quiet || total <= 0) return { update() {}, stop() {} };
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${label.padEnd(28)} {bar} {percentage}% | {value}/{total} | ETA {eta_formatted} | {duration_formatted}`,
        stream: process.stderr,
        hideCursor: true,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0);
    return { update: (done) => bar.update(done), stop: () => bar.stop() };
  }
  const started = Date.now();
  let nextTenth = 1;
  return {
    update(done) {
      if (done < (nextTenth * total) / 10) return;
      while (nextTenth <= 10 && done >= (nextTenth * total) / 10) nextTenth++;
      const elapsed = (Date.now() - started) / 1000;
      const eta = done > 0 ? (elapsed * (total - done)) / done : Number.NaN;
      const percent = Math.round((100 * done) / total);
      process.stderr.write(`${label}: ${done}/${total} (${percent}%) ${elapsed.toFixed(0)} s elapsed, ETA ${eta.toFixed(0)} s\n`);
    },
    stop() {},
  };
}

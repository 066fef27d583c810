/** Timing of a benchmarked function: median and min wall time over the repeats, and the peak RSS seen. */
export interface Measurement {
  readonly seconds: number;
  readonly minSeconds: number;
  readonly repeats: number;
  readonly peakRssBytes: number;
}

/**
 * Run `fn` `repeats` times (after one warm-up unless `warmup: false`) and report the median wall time.
 * Benchmarks compare such measurements as ratios against a baseline measured in the same process.
 */
export async function measure(fn: () => unknown, options: { repeats?: number; warmup?: boolean } = {}): Promise<Measurement> {
  const repeats = options.repeats ?? 3;
  if (options.warmup ?? true) await fn();
  const times: number[] = [];
  let peak = process.memoryUsage.rss();
  for (let i = 0; i < repeats; i++) {
    const start = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e9);
    peak = Math.max(peak, process.memoryUsage.rss());
  }
  times.sort((a, b) => a - b);
  return { seconds: times[Math.floor(times.length / 2)], minSeconds: times[0], repeats, peakRssBytes: peak };
}

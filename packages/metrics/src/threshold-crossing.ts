import { DimensionMismatchError, InvalidArgumentError, described } from "@smoothhess/errors";

/** Which crossings {@link firstCrossingLog} looks for. */
export type CrossingDirection = "falling" | "rising" | "either";

/**
 * Where a curve sampled on an increasing log grid first crosses `threshold` in `direction` (a falling crossing
 * goes from ≥ threshold to < threshold), scanning upwards from the first abscissa ≥ `from`: the abscissa of the
 * crossing, interpolated linearly in (log₁₀ x, y), or `null` when there is none. Used to read where a smoothed
 * Hessian entry leaves one regime for the next as σ² grows (paper Fig. 5, App. F.3).
 * @throws {@link DimensionMismatchError} when `ys` and `xs` differ in length.
 */
export function firstCrossingLog(
  xs: readonly number[],
  ys: readonly number[],
  threshold: number,
  options: { from?: number; direction?: CrossingDirection } = {},
): number | null {
  if (xs.length !== ys.length) throw new DimensionMismatchError("ys", `one value per abscissa (${xs.length})`, described(`length ${ys.length}`));
  const direction = options.direction ?? "either";
  const start = xs.findIndex((x) => x >= (options.from ?? -Infinity));
  if (start < 0) return null;
  for (let i = start + 1; i < xs.length; i++) {
    const a = ys[i - 1] - threshold, b = ys[i] - threshold;
    const falling = a >= 0 && b < 0, rising = a < 0 && b >= 0;
    if ((falling && direction !== "rising") || (rising && direction !== "falling")) {
      const la = Math.log10(xs[i - 1]), lb = Math.log10(xs[i]);
      return 10 ** (la + ((lb - la) * a) / (a - b));
    }
  }
  return null;
}

/**
 * The abscissa in `[lo, hi]` where the continuous function `f` equals `threshold`, by bisection in log₁₀ x
 * (60 halvings). `f(lo) − threshold` and `f(hi) − threshold` must differ in sign.
 * @throws {@link InvalidArgumentError} when they do not.
 */
export function bisectLog(f: (x: number) => number, threshold: number, lo: number, hi: number): number {
  let a = Math.log10(lo), b = Math.log10(hi);
  const fa = f(lo) - threshold;
  if (fa * (f(hi) - threshold) > 0) {
    throw new InvalidArgumentError("[lo, hi]", `an interval where f − ${threshold} changes sign`, described(`[${lo}, ${hi}]`));
  }
  for (let k = 0; k < 60; k++) {
    const m = (a + b) / 2;
    if ((f(10 ** m) - threshold) * fa > 0) a = m;
    else b = m;
  }
  return 10 ** ((a + b) / 2);
}

import { InvalidArgumentError, checkInteger, checkPositive } from "@smoothhess/errors";
import { explanationSensitivity, type Explainer } from "./explanation-sensitivity.js";

/** Options of {@link localLipschitzEstimate}. */
export interface LocalLipschitzOptions {
  /** Distance `ε > 0` of the probe points from `x`: small for the local constant, larger for a coarser one. */
  readonly radius: number;
  /** Probe directions, uniform on the sphere (default 32). */
  readonly directions?: number;
  /** Seed of the directions and of the explainer (default 0). */
  readonly seed?: number;
  /** `"vector"` or `"matrix"`; default inferred as in `explanationSensitivity`. */
  readonly shape?: "vector" | "matrix";
}

/** What {@link localLipschitzEstimate} returns. */
export interface LocalLipschitzEstimate {
  /** `max_u ‖E(x + εu) − E(x)‖ / ε` over the probed unit directions `u` (L2 for vectors, spectral for matrices). */
  readonly estimate: number;
  /** The direction `u` (unit length) that attained it. */
  readonly direction: Float64Array;
  /** The ratio of every probe. */
  readonly ratios: Float64Array;
  /** The radius `ε` used. */
  readonly radius: number;
}

/**
 * An empirical **lower** estimate of the local Lipschitz constant of an explanation map at `x`: the largest
 * finite-difference ratio `‖E(x + εu) − E(x)‖ / ε` over random unit directions `u`. The explainer gets the *same*
 * seed at every probe (common random numbers), so the ratio measures the map, not the difference of two
 * independent Monte-Carlo errors. Compare it with the bounds of `smoothGradLipschitzBound` and
 * `smoothHessLipschitzBound`, which cap the ratio for every direction and every `ε`.
 *
 * A sampled maximum can miss the worst direction, so the estimate is a lower bound of the true local constant;
 * more `directions` tighten it.
 *
 * @throws {@link InvalidArgumentError} for `radius ≤ 0` or `directions < 1`, plus everything
 *   `explanationSensitivity` throws for a bad explainer output.
 *
 * @example
 * ```ts
 * import { localLipschitzEstimate } from "@smoothhess/metrics";
 * // gradient of ½xᵀHx with H = diag(3, 1): the map x ↦ Hx has Lipschitz constant 3
 * const { estimate } = await localLipschitzEstimate((p) => [3 * p[0], p[1]], [0.5, -1], { radius: 1e-3, directions: 64 });
 * // estimate ≤ 3 and close to it
 * ```
 */
export async function localLipschitzEstimate(explain: Explainer, x: ArrayLike<number>, options: LocalLipschitzOptions): Promise<LocalLipschitzEstimate> {
  if (typeof options !== "object" || options === null) throw new InvalidArgumentError("options", "an options object with { radius }", options);
  const radius = checkPositive("options.radius", options.radius);
  const directions = checkInteger("options.directions", options.directions ?? 32, 1);
  const result = await explanationSensitivity(explain, x, {
    neighbourhood: { kind: "sphere", radius },
    neighbours: directions,
    seed: options.seed ?? 0,
    shape: options.shape,
    explainerSeeds: "common",
    estimatorNoise: false,
  });
  const ratios = result.lipschitzRatio.values;
  let best = 0;
  for (let i = 1; i < ratios.length; i++) if (ratios[i] > ratios[best]) best = i;
  const d = result.dim;
  const direction = new Float64Array(d);
  for (let j = 0; j < d; j++) direction[j] = (result.points[best * d + j] - Number(x[j])) / result.displacements[best];
  return { estimate: ratios[best], direction, ratios, radius };
}

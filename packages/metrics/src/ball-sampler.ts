import { InvalidArgumentError, checkInteger, checkPositive } from "@smoothhess/errors";
import { gaussianSampler } from "@smoothhess/random";

/**
 * How the radius of a point in the ball `B_ε` is drawn (the direction is always uniform on the sphere):
 * - `"uniform-ball"` (default): radius `ε·U^{1/d}`, so points are **uniform in the ball**, as paper Eq. 11
 *   prescribes (`P(ρ ≤ t) = (t/ε)^d`; in high `d` nearly all points lie close to the sphere);
 * - `"uniform-radius"`: radius `ε·U`, uniform in `[0, ε]`, as the authors' reference implementation draws it. Not
 *   uniform in the ball for `d > 1`: it puts far more mass near `x₀` (mean radius `ε/2` instead of `ε·d/(d+1)`).
 *   Offered so that results can be compared with the published numbers.
 */
export type BallSampling = "uniform-ball" | "uniform-radius";

/** Options of {@link ballSampler} and {@link sampleBall}. */
export interface BallSamplerOptions {
  /** Seed (default 0): the same seed gives the same points, however they are batched. */
  readonly seed?: number;
  /** Radial law (default `"uniform-ball"`); see {@link BallSampling}. */
  readonly sampling?: BallSampling;
}

/** A seeded stream of displacements `δ` with `‖δ‖ ≤ ε`, drawn one point after the other. */
export interface BallSampler {
  /** Dimension `d`. */
  readonly dim: number;
  /** The radius `ε`. */
  readonly radius: number;
  /** The radial law in use. */
  readonly sampling: BallSampling;
  /**
   * Write the next `n` displacements into `out` (row-major `n×d`, from offset `start·d`), returns `out`.
   * Per point: `d` standard normals (direction `z/‖z‖`) then one uniform (radius).
   */
  fill(out: Float64Array, n: number, start?: number): Float64Array;
}

const SAMPLINGS: readonly BallSampling[] = ["uniform-ball", "uniform-radius"];

/**
 * Check a {@link BallSampling} option (default `"uniform-ball"`).
 * @internal
 */
export function checkSampling(argument: string, value: unknown): BallSampling {
  if (value === undefined) return "uniform-ball";
  if (!SAMPLINGS.includes(value as BallSampling)) {
    throw new InvalidArgumentError(argument, `one of ${SAMPLINGS.map((s) => `"${s}"`).join(", ")}`, value);
  }
  return value as BallSampling;
}

/**
 * A seeded sampler of displacements in the closed L2 ball of radius `ε` around the origin: direction uniform on the
 * sphere (a normalised standard normal vector), radius `ε·U^{1/d}` (uniform in the ball) or `ε·U` (the authors'
 * radius-uniform law, `sampling: "uniform-radius"`). Randomness comes from `gaussianSampler(seed)` of
 * `@smoothhess/oracle`.
 *
 * @param dim - dimension `d ≥ 1`.
 * @param radius - `ε > 0`.
 * @throws {@link InvalidArgumentError} for `dim < 1`, `ε ≤ 0` or non-finite, a bad `seed` or `sampling`.
 *
 * @example
 * ```ts
 * const ball = ballSampler(784, 0.5, { seed: 3 });
 * const deltas = ball.fill(new Float64Array(100 * 784), 100); // 100 points uniform in B_0.5(0)
 * ```
 */
export function ballSampler(dim: number, radius: number, options: BallSamplerOptions = {}): BallSampler {
  checkInteger("dim", dim, 1);
  checkPositive("radius", radius);
  const sampling = checkSampling("options.sampling", options.sampling);
  const rng = gaussianSampler(options.seed ?? 0);
  const exponent = 1 / dim;
  const z = new Float64Array(dim);
  return {
    dim,
    radius,
    sampling,
    fill(out: Float64Array, n: number, start = 0): Float64Array {
      for (let p = 0; p < n; p++) {
        let s = 0;
        // a zero vector has probability 0, but redraw rather than divide by zero
        while (s === 0) {
          rng.fillNormal(z);
          s = 0;
          for (let j = 0; j < dim; j++) s += z[j] * z[j];
        }
        const u = rng.uniform();
        const r = sampling === "uniform-ball" ? radius * Math.pow(u, exponent) : radius * u;
        const f = r / Math.sqrt(s);
        const base = (start + p) * dim;
        for (let j = 0; j < dim; j++) out[base + j] = z[j] * f;
      }
      return out;
    },
  };
}

/**
 * `count` displacements in the L2 ball of radius `ε` (row-major `count×d`); see {@link ballSampler}.
 *
 * @throws {@link InvalidArgumentError} for `count < 1` and everything {@link ballSampler} throws.
 */
export function sampleBall(count: number, dim: number, radius: number, options: BallSamplerOptions = {}): Float64Array {
  checkInteger("count", count, 1);
  const sampler = ballSampler(dim, radius, options);
  return sampler.fill(new Float64Array(count * dim), count);
}

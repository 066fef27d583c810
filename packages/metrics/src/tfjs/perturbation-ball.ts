import * as tf from "@tensorflow/tfjs-core";
import { DimensionMismatchError, checkFiniteArray, described } from "@smoothhess/errors";
import { sampleBall, type BallSampling } from "../ball-sampler.js";
import type { ValueOracle } from "@smoothhess/oracle";

/** Where and how a {@link PerturbationBall} draws its points. */
export interface PerturbationBallOptions {
  /** The neighbourhood radius ε. */
  readonly radius: number;
  /** Monte-Carlo points in the ball. */
  readonly samples: number;
  /** Seed of the points (the same seed as `perturbationMSE` gives the same points). */
  readonly seed: number;
  /** Radial law, as in `@smoothhess/metrics` (default `"uniform-ball"`). */
  readonly sampling?: BallSampling;
}

/**
 * A dense Hessian uploaded once as a float32 tfjs tensor, to be scored on several balls (see
 * {@link PerturbationBall.squaredErrors}). Dispose it when done.
 */
export interface HessianTensor {
  readonly tensor: tf.Tensor2D;
  dispose(): void;
}

/**
 * Upload a row-major symmetric `d×d` Hessian for {@link PerturbationBall} scoring.
 * @throws {@link DimensionMismatchError} naming `hessian` when it does not hold `d·d` entries.
 */
export function hessianTensor(hessian: ArrayLike<number>, d: number): HessianTensor {
  if (hessian.length !== d * d) throw new DimensionMismatchError("hessian", `a ${d}×${d} matrix (${d * d} entries)`, described(`length ${hessian.length}`));
  const tensor = tf.tensor2d(Float32Array.from(hessian), [d, d]);
  return { tensor, dispose: () => tensor.dispose() };
}

/**
 * The points of one P_MSE ball (paper Eq. 11) with the network's values there, evaluated **once** and then used to
 * score any number of Taylor models (Eq. 10) at the same `x₀`: the batched form of `perturbationMSE` from
 * `@smoothhess/metrics` for validation sweeps that score hundreds of models (every β of a grid, every σ).
 *
 * Same points as `perturbationMSE(oracle, model, { radius, samples, seed, sampling })` (both draw them with
 * `sampleBall` of `@smoothhess/metrics`); the anchor is the network's own `f(x₀)` for every model, as Eq. 10 says.
 * The gradient term is float64; the quadratic forms `uᵀH̃u` of all points run as one float32 matrix product on the
 * tfjs backend (`(U H̃) ⊙ U` summed by rows), much faster than float64 JavaScript at d = 784 (see the README's
 * benchmark notes). Tested equal to `perturbationMSE` (relative difference < 1e-4).
 *
 * @example
 * ```ts
 * const ball = await PerturbationBall.create(valueOracle, x0, { radius: 0.5, samples: 1000, seed: 1 });
 * const h = hessianTensor(estimate.hessian, d);
 * const pmse = ball.score(estimate.gradient, h); // second-order model
 * h.dispose();
 * ball.dispose();
 * ```
 */
export class PerturbationBall {
  /** Displacements `u = x' − x₀`, row-major `samples × d`. */
  readonly displacements: Float64Array;
  /** `f(x₀ + u)` at every point. */
  readonly values: Float64Array;
  private readonly uTensor: tf.Tensor2D;

  private constructor(
    readonly x0: Float64Array,
    /** The network's own value `f(x₀)`, the anchor of every Taylor model. */
    readonly value: number,
    readonly radius: number,
    readonly samples: number,
    readonly sampling: BallSampling,
    displacements: Float64Array,
    values: Float64Array,
  ) {
    this.displacements = displacements;
    this.values = values;
    this.uTensor = tf.tensor2d(Float32Array.from(displacements), [samples, x0.length]);
  }

  /**
   * Draw the ball's points and evaluate `f` there (and at `x₀`).
   * @param oracle - `f`, the ReLU network's scalar (values only are used).
   * @param x0 - the centre, length `oracle.dim`.
   */
  static async create(oracle: ValueOracle, x0: ArrayLike<number>, options: PerturbationBallOptions): Promise<PerturbationBall> {
    const d = oracle.dim;
    const centre = Float64Array.from(checkFiniteArray("x0", x0, d));
    const sampling = options.sampling ?? "uniform-ball";
    const n = options.samples;
    const u = sampleBall(n, d, options.radius, { seed: options.seed, sampling });
    const points = new Float64Array(n * d);
    for (let p = 0; p < n; p++) for (let j = 0; j < d; j++) points[p * d + j] = centre[j] + u[p * d + j];
    const values = Float64Array.from((await oracle.evaluate(points, n)).values);
    const value = (await oracle.evaluate(centre, 1)).values[0];
    return new PerturbationBall(centre, value, options.radius, n, sampling, u, values);
  }

  /**
   * Squared errors `(f̃(x') − f(x'))²` of the Taylor model `f(x₀) + G̃ᵀu + ½uᵀH̃u` at every point of the ball.
   * @param gradient - `G̃`, length d.
   * @param hessian - `H̃` (from {@link hessianTensor}); omit for a first-order model.
   */
  squaredErrors(gradient: ArrayLike<number>, hessian?: HessianTensor): Float64Array {
    const d = this.x0.length;
    const g = checkFiniteArray("gradient", gradient, d);
    const n = this.samples;
    let quadratic: Float32Array | undefined;
    if (hessian) {
      const forms = tf.tidy(() => tf.sum(tf.mul(tf.matMul(this.uTensor, hessian.tensor), this.uTensor), 1));
      quadratic = forms.dataSync() as Float32Array;
      forms.dispose();
    }
    const out = new Float64Array(n);
    const u = this.displacements;
    for (let p = 0; p < n; p++) {
      let s = 0;
      const base = p * d;
      for (let j = 0; j < d; j++) s += g[j] * u[base + j];
      const model = this.value + s + (quadratic ? 0.5 * quadratic[p] : 0);
      const e = model - this.values[p];
      out[p] = e * e;
    }
    return out;
  }

  /** P_MSE of one Taylor model: the mean of {@link squaredErrors}. */
  score(gradient: ArrayLike<number>, hessian?: HessianTensor): number {
    const errors = this.squaredErrors(gradient, hessian);
    let sum = 0;
    for (let p = 0; p < errors.length; p++) sum += errors[p];
    return sum / errors.length;
  }

  /** Free the tensor of displacements. */
  dispose(): void {
    this.uTensor.dispose();
  }
}

import {
  DimensionMismatchError,
  DisposedError,
  InvalidArgumentError,
  checkFiniteArray,
  checkInteger,
  checkPositive,
  described,
  firstNonFinite,
  isNumericArray,
  throwIfAborted,
} from "@smoothhess/errors";
import { rowDots } from "@smoothhess/linalg";
import { checkedOracle, isOracle, type ValueOracle } from "@smoothhess/oracle";
import { type BallSampling, checkSampling, sampleBall } from "./ball-sampler.js";
import { type HessianInput, resolveHessian } from "./hessian-input.js";
import { linalgQuadraticFormKernel } from "./linalg-quadratic-form-kernel.js";
import type { PerturbationMSEResult } from "./perturbation-mse.js";
import type { BoundQuadraticForms, QuadraticFormKernel } from "./quadratic-form-kernel.js";

/** One ball of {@link perturbationBalls}: its radius and the seed of its points. */
export interface PerturbationBallSpec {
  /** The radius `ε > 0`. */
  readonly radius: number;
  /** Seed of the points (default 0): the same seed as `perturbationMSE` gives the same points. */
  readonly seed?: number;
}

/** Options of {@link perturbationBalls}. */
export interface PerturbationBallsOptions {
  /** The balls around `x₀`, e.g. one per radius of the paper (0.25, 0.5, 1.0), each with its own seed. */
  readonly balls: readonly PerturbationBallSpec[];
  /** Monte-Carlo points per ball (default 1,000, as `perturbationMSE`). */
  readonly samples?: number;
  /** Radial law of the points (default `"uniform-ball"`); see {@link BallSampling}. */
  readonly sampling?: BallSampling;
  /**
   * Computes the quadratic forms `uᵀH̃u` of the Hessians (default {@link linalgQuadraticFormKernel}, float64 in
   * JavaScript). Pass a native one for speed: `onnxQuadraticFormKernel()` of `@smoothhess/onnx`, or
   * `tfjsQuadraticFormKernel()` of `@smoothhess/metrics/tfjs`. It stays yours: `dispose()` of the balls releases
   * only what they bound, not the kernel.
   */
  readonly kernel?: QuadraticFormKernel;
  /** Points per oracle call while the balls are evaluated (default: the oracle's `maxBatchSize`, else 1024). */
  readonly batchSize?: number;
  /** Abort between oracle batches (throws `AbortedError`). */
  readonly signal?: AbortSignal;
}

/**
 * A Taylor model (paper Eq. 10) to score on the balls: `f(x₀) + G̃ᵀu + ½ uᵀH̃u`. A {@link TaylorModel} built by
 * `taylorModel()` at the same `x₀` is one.
 */
export interface BallModel {
  /** `G̃`, the explainer's gradient at `x₀`, length `d`. */
  readonly gradient: ArrayLike<number>;
  /**
   * `H̃`: a row-major `d×d` matrix (scored by the kernel; symmetry is not required) or a {@link HessianOperator}
   * (scored by its own `quadraticForm`/`matVec` in float64). Omit it for a first-order model.
   */
  readonly hessian?: HessianInput;
  /** The anchor `f(x₀)` (default: the network's own value at `x₀`, {@link PerturbationBalls.value}, as Eq. 10 says). */
  readonly value?: number;
  /** The expansion point, when the model carries one: checked equal to the balls' `x₀`. */
  readonly x0?: ArrayLike<number>;
}

/** The points of one ball and the network's values there. */
export interface PerturbationBallPoints {
  /** `ε`. */
  readonly radius: number;
  /** The seed of its points. */
  readonly seed: number;
  /** Displacements `u = x' − x₀`, row-major `samples×d` (a view: do not modify). */
  readonly displacements: Float64Array;
  /** `f(x₀ + u)` at every point. */
  readonly values: Float64Array;
}

/**
 * The P_MSE balls of one point, evaluated once, that score any number of Taylor models; see {@link perturbationBalls}.
 */
export interface PerturbationBalls {
  /** Dimension `d`. */
  readonly dim: number;
  /** The centre `x₀` (a copy). */
  readonly x0: Float64Array;
  /** The network's own `f(x₀)`: the anchor of every model without a `value`. */
  readonly value: number;
  /** Points per ball. */
  readonly samples: number;
  /** The radial law of the points. */
  readonly sampling: BallSampling;
  /** The balls, in the order of `options.balls`. */
  readonly balls: readonly PerturbationBallPoints[];
  /** The kernel's name, e.g. `"onnx-cpu-float32"`. */
  readonly kernelName: string;
  /**
   * P_MSE of one model on every ball: one {@link PerturbationMSEResult} per ball (mean, standard error, the squared
   * errors), as `perturbationMSE` returns it for the same radius, seed and samples.
   * @throws as {@link PerturbationBalls.scoreMany}.
   */
  score(model: BallModel): Promise<PerturbationMSEResult[]>;
  /**
   * P_MSE of many models on every ball: `result[m][b]` for model `m` on ball `b`. Each dense Hessian costs one
   * kernel call for all balls together (a model list that repeats the same Hessian array computes it once); the
   * gradient terms of all models are one float64 matrix product.
   * @throws {@link InvalidArgumentError} / {@link DimensionMismatchError} naming `models[m].…`: a gradient of
   *   another length or with non-finite entries, a dense Hessian without `d·d` finite entries, an operator of
   *   another `dim`, a non-finite `value`, an `x0` other than the balls' centre; {@link DisposedError} after
   *   `dispose()`; `AbortedError` when `signal` fires (checked between models).
   */
  scoreMany(models: readonly BallModel[], options?: { readonly signal?: AbortSignal }): Promise<PerturbationMSEResult[][]>;
  /** Release what the kernel bound (tensors, copies). Idempotent; scoring afterwards throws {@link DisposedError}. */
  dispose(): Promise<void>;
}

/**
 * The **P_MSE balls** of one explained point (paper Eq. 11, App. E.2.1): draw the points of each ball once,
 * evaluate the network there once, and then score any number of Taylor models (Eq. 10) on them — the batched form
 * of {@link perturbationMSE} for validation sweeps that score hundreds of models (every σ, every β of a grid) on
 * the same balls.
 *
 * Same points as `perturbationMSE(oracle, models, { radius, samples, seed, sampling })` for each ball (both draw
 * them with {@link sampleBall}), same result type and the same numbers up to the kernel's precision: the
 * gradient terms and everything after the quadratic forms are float64; the quadratic forms `uᵀH̃u` are computed by
 * `options.kernel` for the points of **all** balls in one call per Hessian (float64 by default; float32 GEMM with
 * `onnxQuadraticFormKernel()` or `tfjsQuadraticFormKernel()`, relative difference of P_MSE ≤ 1e-4, tested).
 * Any {@link ValueOracle} serves: the float64 reference networks, `tfjsOracle`, `onnxOracle`.
 *
 * @param oracle - `f`, the original network's scalar; only values are used.
 * @param x0 - the centre, length `oracle.dim`.
 * @param options - `balls` (required), `samples`, `sampling`, `kernel`, `batchSize`, `signal`.
 * @throws {@link InvalidArgumentError} / {@link DimensionMismatchError} for a non-oracle, an `x0` of another length
 *   or not finite, an empty `balls`, a radius ≤ 0, a bad seed, `samples < 1`, a bad `sampling` or `batchSize`, a
 *   `kernel` without `bind`; `OracleOutputError` for a wrong or non-finite oracle answer; `AbortedError`.
 *
 * @example
 * ```ts
 * import { perturbationBalls } from "@smoothhess/metrics";
 * import { networkOracle, randomDenseNetwork } from "@smoothhess/oracle";
 * const oracle = networkOracle(randomDenseNetwork([4, 8, 2], { seed: 0 }), { output: 1 });
 * const x0 = [0.1, 0.2, 0.3, 0.4];
 * const balls = await perturbationBalls(oracle, x0, { balls: [{ radius: 0.25, seed: 1 }, { radius: 0.5, seed: 2 }] });
 * const hessian = new Float64Array(16); // a Hessian estimate at x0 (here zero)
 * const [[shsg25, shsg50], [sg25, sg50]] = await balls.scoreMany([{ gradient: [1, 0, 0, 0], hessian }, { gradient: [1, 0, 0, 0] }]);
 * console.log(shsg25.mean, "±", shsg25.standardError, sg50.mean);
 * await balls.dispose();
 * ```
 */
export async function perturbationBalls(oracle: ValueOracle, x0: ArrayLike<number>, options: PerturbationBallsOptions): Promise<PerturbationBalls> {
  if (!isOracle(oracle)) throw new InvalidArgumentError("oracle", "an oracle { dim, evaluate(points, n) }", oracle);
  const d = oracle.dim;
  const centre = Float64Array.from(checkFiniteArray("x0", x0, d));
  if (typeof options !== "object" || options === null) {
    throw new InvalidArgumentError("options", "an options object with at least { balls: [{ radius, seed }] }", options);
  }
  if (!Array.isArray(options.balls) || options.balls.length === 0) {
    throw new InvalidArgumentError("options.balls", "a non-empty array of { radius, seed? }", options.balls);
  }
  const specs = options.balls.map((spec, b) => {
    if (typeof spec !== "object" || spec === null) throw new InvalidArgumentError(`options.balls[${b}]`, "an object { radius, seed? }", spec);
    return {
      radius: checkPositive(`options.balls[${b}].radius`, spec.radius),
      seed: checkInteger(`options.balls[${b}].seed`, spec.seed ?? 0, -(2 ** 31), 2 ** 32 - 1),
    };
  });
  const samples = checkInteger("options.samples", options.samples ?? 1000, 1);
  const sampling = checkSampling("options.sampling", options.sampling);
  const batchSize = checkInteger("options.batchSize", options.batchSize ?? oracle.maxBatchSize ?? 1024, 1);
  const kernel = options.kernel ?? linalgQuadraticFormKernel();
  if (typeof kernel !== "object" || kernel === null || typeof kernel.bind !== "function") {
    throw new InvalidArgumentError("options.kernel", "a quadratic-form kernel { name, bind(displacements, rows, dim) }", kernel);
  }

  // All balls' displacements stacked into one (balls·samples)×d matrix: one kernel call per Hessian scores every ball.
  const total = specs.length * samples;
  const displacements = new Float64Array(total * d);
  specs.forEach((spec, b) => displacements.set(sampleBall(samples, d, spec.radius, { seed: spec.seed, sampling }), b * samples * d));
  const values = new Float64Array(total);
  const checked = checkedOracle(oracle, { gradients: false });
  const block = Math.min(batchSize, total);
  const points = new Float64Array(block * d);
  for (let done = 0; done < total; ) {
    throwIfAborted(options.signal, "perturbationBalls", done);
    const n = Math.min(block, total - done);
    const batch = n === block ? points : points.subarray(0, n * d);
    for (let p = 0; p < n; p++) {
      const from = (done + p) * d;
      for (let j = 0; j < d; j++) batch[p * d + j] = centre[j] + displacements[from + j];
    }
    values.set((await checked.evaluate(batch, n)).values, done);
    done += n;
  }
  const value = (await checked.evaluate(centre, 1)).values[0];
  const bound = await kernel.bind(displacements, total, d);
  return new StackedBalls(centre, value, samples, sampling, specs, displacements, values, bound, String(kernel.name));
}

class StackedBalls implements PerturbationBalls {
  readonly dim: number;
  readonly balls: readonly PerturbationBallPoints[];
  private disposed = false;

  constructor(
    readonly x0: Float64Array,
    readonly value: number,
    readonly samples: number,
    readonly sampling: BallSampling,
    specs: readonly { radius: number; seed: number }[],
    private readonly displacements: Float64Array,
    private readonly values: Float64Array,
    private readonly forms: BoundQuadraticForms,
    readonly kernelName: string,
  ) {
    const d = x0.length;
    this.dim = d;
    this.balls = specs.map(({ radius, seed }, b) => ({
      radius,
      seed,
      displacements: displacements.subarray(b * samples * d, (b + 1) * samples * d),
      values: values.subarray(b * samples, (b + 1) * samples),
    }));
  }

  async score(model: BallModel): Promise<PerturbationMSEResult[]> {
    if (typeof model !== "object" || model === null || Array.isArray(model)) {
      throw new InvalidArgumentError("model", "a Taylor model { gradient, hessian?, value?, x0? }", model);
    }
    return (await this.scoreModels([model], "model"))[0];
  }

  async scoreMany(models: readonly BallModel[], options: { readonly signal?: AbortSignal } = {}): Promise<PerturbationMSEResult[][]> {
    if (!Array.isArray(models)) throw new InvalidArgumentError("models", "an array of Taylor models { gradient, hessian?, value?, x0? }", models);
    return this.scoreModels(models, "models", options.signal);
  }

  private async scoreModels(models: readonly BallModel[], argument: string, signal?: AbortSignal): Promise<PerturbationMSEResult[][]> {
    if (this.disposed) throw new DisposedError("these perturbation balls", "create new ones with perturbationBalls()");
    const d = this.dim;
    const k = models.length;
    if (k === 0) return [];
    const name = (m: number) => (argument === "model" ? "model" : `models[${m}]`);
    const checked = models.map((model, m) => this.checkModel(model, name(m)));

    // Gradient terms G̃ᵀu of every model at every point: one k×N product of float64 rows.
    const total = this.values.length;
    const gradients = new Float64Array(k * d);
    checked.forEach((c, m) => gradients.set(c.gradient, m * d));
    const linear = rowDots(new Float64Array(k * total), total, gradients, k, this.displacements, total, d);

    const quadratic = new Map<unknown, Float64Array>();
    const results: PerturbationMSEResult[][] = [];
    for (let m = 0; m < k; m++) {
      throwIfAborted(signal, "scoreMany", m);
      if (this.disposed) throw new DisposedError("these perturbation balls", "create new ones with perturbationBalls()");
      const { hessian, value } = checked[m];
      let forms: Float64Array | undefined;
      if (hessian !== undefined) {
        forms = quadratic.get(hessian);
        if (forms === undefined) {
          forms = await this.quadraticForms(hessian, name(m));
          quadratic.set(hessian, forms);
        }
      }
      const row = m * total;
      results.push(
        this.balls.map((ball, b) => {
          const errors = new Float64Array(this.samples);
          const start = b * this.samples;
          for (let p = 0; p < this.samples; p++) {
            const i = start + p;
            const e = value + linear[row + i] + (forms ? 0.5 * forms[i] : 0) - this.values[i];
            errors[p] = e * e;
          }
          return summarise(errors, ball.radius, this.sampling);
        }),
      );
    }
    return results;
  }

  private checkModel(model: BallModel, arg: string): { gradient: ArrayLike<number>; hessian?: HessianInput; value: number } {
    const d = this.dim;
    if (typeof model !== "object" || model === null) throw new InvalidArgumentError(arg, "a Taylor model { gradient, hessian?, value?, x0? }", model);
    if (isNumericArray(model.gradient) && model.gradient.length !== d) {
      throw new DimensionMismatchError(`${arg}.gradient`, `length ${d} (the balls' dim)`, described(`length ${model.gradient.length}`));
    }
    const gradient = checkFiniteArray(`${arg}.gradient`, model.gradient, d);
    const value = model.value ?? this.value;
    if (typeof value !== "number" || !Number.isFinite(value)) throw new InvalidArgumentError(`${arg}.value`, "a finite number (the network's f(x0))", value);
    if (model.x0 !== undefined) {
      const x0 = checkFiniteArray(`${arg}.x0`, model.x0, d);
      for (let j = 0; j < d; j++) {
        if (x0[j] !== this.x0[j]) {
          throw new InvalidArgumentError(`${arg}.x0`, "the balls' centre x0 (P_MSE scores a model on the balls around its own x0)", described(`x0[${j}] = ${x0[j]} instead of ${this.x0[j]}`));
        }
      }
    }
    const hessian = model.hessian;
    if (hessian !== undefined) {
      if (isNumericArray(hessian)) {
        if (hessian.length !== d * d) {
          throw new DimensionMismatchError(`${arg}.hessian`, `a row-major ${d}×${d} matrix (${d * d} entries)`, described(`length ${hessian.length}`));
        }
        // Entries are checked for finiteness only when the kernel's forms are not finite (see quadraticForms):
        // a NaN or ±∞ in H always reaches the forms, and scanning d² entries per model would cost ~10% at d = 784.
      } else {
        resolveHessian(`${arg}.hessian`, hessian, d); // validates the operator (matVec, dim)
      }
    }
    return { gradient, hessian, value };
  }

  private async quadraticForms(hessian: HessianInput, arg: string): Promise<Float64Array> {
    const total = this.values.length;
    if (isNumericArray(hessian)) {
      const forms = await this.forms.evaluate(hessian);
      if (!(forms?.length >= total)) throw new DimensionMismatchError(`${arg}: the kernel's quadratic forms`, `${total} values`, described(`${forms?.length} values`));
      const bad = firstNonFinite(forms, 0, total);
      if (bad >= 0) {
        checkFiniteArray(`${arg}.hessian`, hessian); // names the first non-finite entry of H, if there is one
        throw new InvalidArgumentError(
          `${arg}.hessian`,
          `a matrix whose quadratic forms are finite in the kernel's precision (${this.kernelName})`,
          described(`uᵀHu = ${forms[bad]} at point ${bad} (entries beyond float32's range overflow in a float32 kernel)`),
        );
      }
      return forms;
    }
    // an operator (e.g. a FactoredHessian) has its own float64 quadratic forms, cheaper than forming d×d
    return resolveHessian(arg, hessian, this.dim).quadraticForms(this.displacements, total, new Float64Array(total));
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.forms.dispose();
  }
}

/** Mean and standard error of per-point squared errors, as `perturbationMSE` reports them. */
function summarise(errors: Float64Array, radius: number, sampling: BallSampling): PerturbationMSEResult {
  const n = errors.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += errors[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (errors[i] - mean) ** 2;
  const standardError = n > 1 ? Math.sqrt(ss / (n - 1) / n) : Number.NaN;
  return { mean, standardError, squaredErrors: errors, samples: n, radius, sampling };
}

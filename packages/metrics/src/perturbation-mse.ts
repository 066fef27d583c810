import {
  DimensionMismatchError,
  InvalidArgumentError,
  checkInteger,
  checkPositive,
  described,
  throwIfAborted,
} from "@smoothhess/errors";
import { checkedOracle, isOracle, type ValueOracle } from "@smoothhess/oracle";
import { type BallSampling, ballSampler, checkSampling } from "./ball-sampler.js";
import type { TaylorModel } from "./taylor-model.js";

/** Options of {@link perturbationMSE}. */
export interface PerturbationMSEOptions {
  /** The neighbourhood radius `ε > 0` of `B_ε(x₀)` (the paper uses 0.25, 0.5 and 1.0). */
  readonly radius: number;
  /** Monte-Carlo points in the ball (default 1,000). Every model is scored on the same points. */
  readonly samples?: number;
  /** Seed of the points (default 0); the result does not depend on `batchSize`. */
  readonly seed?: number;
  /**
   * Radial law of the points (default `"uniform-ball"`, uniform in the ball as Eq. 11 says); `"uniform-radius"`
   * reproduces the authors' code (radius uniform in `[0, ε]`). See {@link BallSampling}.
   */
  readonly sampling?: BallSampling;
  /** Points per oracle call (default: the oracle's `maxBatchSize`, else 1024). */
  readonly batchSize?: number;
  /** Abort between batches (throws `AbortedError` with the number of points done). */
  readonly signal?: AbortSignal;
}

/** The Monte-Carlo estimate of `P_MSE` (Eq. 11) for one Taylor model. */
export interface PerturbationMSEResult {
  /** `(1/n) Σᵢ (f̃(x'ᵢ) − f(x'ᵢ))²`, the estimate of `P_MSE`. */
  readonly mean: number;
  /** Standard error of `mean`: the sample standard deviation of the squared errors over `√n` (NaN for n = 1). */
  readonly standardError: number;
  /** The per-point squared errors `(f̃(x'ᵢ) − f(x'ᵢ))²`, length `n`, in sampling order. */
  readonly squaredErrors: Float64Array;
  /** Number of points `n`. */
  readonly samples: number;
  /** `ε`. */
  readonly radius: number;
  /** The radial law used. */
  readonly sampling: BallSampling;
}

/**
 * The **Perturbation Mean-Squared-Error** of paper Eq. 11: how well a Taylor model `f̃` (Eq. 10, see
 * {@link taylorModel}) reproduces the network `f` over the ball `B_ε(x₀)`,
 *
 * `P_MSE = (1/Vol B_ε) ∫_{B_ε(x₀)} (f̃(x') − f(x'))² dx'  ≈  (1/n) Σᵢ (f̃(x'ᵢ) − f(x'ᵢ))²`,
 *
 * with `x'ᵢ = x₀ + δᵢ` drawn uniformly in the ball ({@link ballSampler}). Pass several models (e.g. SH + SG, SG,
 * SoftPlus, vanilla gradient at the same `x₀`) to score them all on the **same** points with one oracle pass: their
 * differences are then paired and far less noisy than independent estimates.
 *
 * @param oracle - `f`, the original network's scalar (a class logit or an internal neuron); only values are used.
 * @param models - one Taylor model, or an array of models that share `x₀`.
 * @param options - `radius` (required), `samples`, `seed`, `sampling`, `batchSize`, `signal`.
 * @returns one result per model (a single result for a single model).
 * @throws {@link InvalidArgumentError} / {@link DimensionMismatchError} for a non-oracle, models of another
 *   dimension or with different `x₀`, an empty model list, `radius ≤ 0`, `samples < 1`, a bad `sampling`, seed or
 *   batch size; `OracleOutputError` when the oracle answers with the wrong length or a non-finite value;
 *   `AbortedError` when `signal` fires.
 *
 * @example
 * ```ts
 * const [shsg, sg] = await perturbationMSE(logitOracle, [taylorModel({ value, gradient, hessian, x0 }),
 *   taylorModel({ value, gradient, x0 })], { radius: 0.5, samples: 2000, seed: 1 });
 * console.log(shsg.mean, "±", shsg.standardError);
 * ```
 */
export function perturbationMSE(oracle: ValueOracle, models: TaylorModel, options: PerturbationMSEOptions): Promise<PerturbationMSEResult>;
export function perturbationMSE(
  oracle: ValueOracle,
  models: readonly TaylorModel[],
  options: PerturbationMSEOptions,
): Promise<PerturbationMSEResult[]>;
export async function perturbationMSE(
  oracle: ValueOracle,
  models: TaylorModel | readonly TaylorModel[],
  options: PerturbationMSEOptions,
): Promise<PerturbationMSEResult | PerturbationMSEResult[]> {
  if (!isOracle(oracle)) throw new InvalidArgumentError("oracle", "an oracle { dim, evaluate(points, n) }", oracle);
  const single = !Array.isArray(models);
  const list = (single ? [models] : models) as readonly TaylorModel[];
  if (list.length === 0) throw new InvalidArgumentError("models", "at least one Taylor model", described("an empty array"));
  const d = oracle.dim;
  const x0 = checkModels(list, d);
  if (typeof options !== "object" || options === null) {
    throw new InvalidArgumentError("options", "an options object with at least { radius }", options);
  }
  const radius = checkPositive("options.radius", options.radius);
  const samples = checkInteger("options.samples", options.samples ?? 1000, 1);
  const sampling = checkSampling("options.sampling", options.sampling);
  const seed = checkInteger("options.seed", options.seed ?? 0, -(2 ** 31), 2 ** 32 - 1);
  const batchSize = checkInteger("options.batchSize", options.batchSize ?? oracle.maxBatchSize ?? 1024, 1);

  const checked = checkedOracle(oracle, { gradients: false });
  const ball = ballSampler(d, radius, { seed, sampling });
  const squared = list.map(() => new Float64Array(samples));
  const block = Math.min(batchSize, samples);
  const points = new Float64Array(block * d);
  for (let done = 0; done < samples; ) {
    throwIfAborted(options.signal, "perturbationMSE", done);
    const n = Math.min(block, samples - done);
    const batch = n === block ? points : points.subarray(0, n * d);
    ball.fill(batch, n);
    for (let p = 0; p < n; p++) {
      const base = p * d;
      for (let j = 0; j < d; j++) batch[base + j] += x0[j];
    }
    const { values } = await checked.evaluate(batch, n);
    list.forEach((model, m) => {
      const approx = model.evaluate(batch, n);
      const out = squared[m];
      for (let p = 0; p < n; p++) {
        const e = approx[p] - values[p];
        out[done + p] = e * e;
      }
    });
    done += n;
  }
  const results = squared.map((errors) => summarise(errors, radius, sampling));
  return single ? results[0] : results;
}

function checkModels(models: readonly TaylorModel[], d: number): Float64Array {
  models.forEach((model, m) => {
    const arg = `models[${m}]`;
    if (typeof model !== "object" || model === null || typeof model.evaluate !== "function" || !(model.x0 instanceof Float64Array)) {
      throw new InvalidArgumentError(arg, "a Taylor model built by taylorModel()", model);
    }
    if (model.dim !== d) throw new DimensionMismatchError(`${arg}.dim`, `${d} (the oracle's dim)`, model.dim);
  });
  const x0 = models[0].x0;
  models.forEach((model, m) => {
    for (let j = 0; j < d; j++) {
      if (model.x0[j] !== x0[j]) {
        throw new InvalidArgumentError(
          `models[${m}].x0`,
          "the same x0 as models[0] (P_MSE compares models on one ball)",
          described(`x0[${j}] = ${model.x0[j]} instead of ${x0[j]}`),
        );
      }
    }
  });
  return x0;
}

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

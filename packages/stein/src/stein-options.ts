import {
  DimensionMismatchError,
  InvalidArgumentError,
  checkFiniteArray,
  checkInteger,
  described,
} from "@smoothhess/errors";
import { covariance, isOracle, type Covariance, type CovarianceSpec, type ValueOracle } from "@smoothhess/oracle";

/** Progress of a long estimation, reported after every oracle batch. */
export interface SteinProgress {
  /** Perturbed points evaluated so far. */
  readonly completed: number;
  /** Perturbed points to evaluate in all. */
  readonly total: number;
}

/** Options shared by every Stein estimator in this package. */
export interface SteinOptions {
  /**
   * The smoothing covariance Σ, as a spec (`{ sigma }`, `{ variance }`, `{ diagonal }`, `{ matrix }`) or a
   * prebuilt `Covariance` (reuse one across many points to factor a full Σ only once). Required: the smoothing
   * scale is the method's main hyperparameter and has no safe default.
   */
  readonly covariance: CovarianceSpec | Covariance;
  /**
   * Oracle evaluations at perturbed points (the Monte-Carlo sample size n; with antithetic pairs, n/2 pairs).
   * Default 10,000. The paper uses 100,000 for MNIST/FMNIST (d = 784) and 480,000 for CIFAR-10.
   */
  readonly samples?: number;
  /** Seed of the perturbations (default 0): the same seed gives the same result, whatever the batch size. */
  readonly seed?: number;
  /** Points per oracle call (default: the oracle's `maxBatchSize`, else 1024). */
  readonly batchSize?: number;
  /**
   * Evaluate perturbations in antithetic pairs δ and −δ (default `true`, as the authors' implementation does).
   * Requires an even `samples`.
   */
  readonly antithetic?: boolean;
  /**
   * Subtract the oracle's answer at x₀ itself (∇f(x₀) or f(x₀)) inside the estimator, at the price of one extra
   * oracle point. Unbiased because E[Σ⁻¹δ] = 0. Note: with antithetic pairs this control variate cancels
   * exactly in the first-order Hessian and the zeroth-order gradient, so it changes nothing there.
   */
  readonly controlVariate?: boolean;
  /**
   * How the Gaussian perturbations are drawn (`@smoothhess/random`): `"box-muller"` (default: the numbers every
   * earlier version gave for a seed) or `"ziggurat"` (also exactly N(0, Σ), other numbers for the same seed, the
   * draws cheaper (no logarithm or trigonometry per draw) — worth it where the oracle and the kernel are fast,
   * e.g. at d = 784 with `@smoothhess/onnx`; rates in this package's README).
   */
  readonly normals?: NormalDraws;
  /** Called after every oracle batch. */
  readonly onProgress?: (progress: SteinProgress) => void;
  /** Abort a long run between batches; the estimator then throws `AbortedError`. */
  readonly signal?: AbortSignal;
}

/** The methods of {@link SteinOptions.normals}. */
export type NormalDraws = "box-muller" | "ziggurat";

/** Options after validation, with defaults filled in. */
export interface ResolvedSteinOptions {
  readonly sigma: Covariance;
  readonly x0: Float64Array;
  readonly samples: number;
  readonly units: number;
  readonly pointsPerUnit: 1 | 2;
  readonly seed: number;
  readonly batchSize: number;
  readonly antithetic: boolean;
  readonly controlVariate: boolean;
  readonly normals: NormalDraws;
  readonly onProgress?: (progress: SteinProgress) => void;
  readonly signal?: AbortSignal;
}

/** Default Monte-Carlo sample size. */
export const DEFAULT_SAMPLES = 10_000;

/**
 * Validate the oracle, x₀ and the options of a Stein estimator; fill in defaults.
 * @throws {@link InvalidArgumentError} / {@link DimensionMismatchError} naming the argument at fault.
 */
export function resolveSteinOptions(
  oracle: ValueOracle,
  x0: ArrayLike<number>,
  options: SteinOptions,
  defaults: { antithetic?: boolean; controlVariate?: boolean } = {},
): ResolvedSteinOptions {
  if (!isOracle(oracle)) throw new InvalidArgumentError("oracle", "an oracle { dim, evaluate(points, n) }", oracle);
  const d = oracle.dim;
  if (x0 && typeof x0.length === "number" && x0.length !== d) {
    throw new DimensionMismatchError("x0", `length ${d} (the oracle's dim)`, described(`length ${x0.length}`));
  }
  const point = Float64Array.from(checkFiniteArray("x0", x0, d));
  if (typeof options !== "object" || options === null) {
    throw new InvalidArgumentError("options", "an options object with at least { covariance }", options);
  }
  if (options.covariance === undefined) {
    throw new InvalidArgumentError("options.covariance", "a covariance such as { sigma: 0.1 } or { variance: 0.01 }", undefined);
  }
  const sigma = isCovariance(options.covariance) ? options.covariance : covariance(options.covariance, d, "options.covariance");
  if (sigma.dim !== d) {
    throw new DimensionMismatchError("options.covariance", `a covariance of dimension ${d}`, described(`dimension ${sigma.dim}`));
  }
  const antithetic = checkBoolean("options.antithetic", options.antithetic, defaults.antithetic ?? true);
  const controlVariate = checkBoolean("options.controlVariate", options.controlVariate, defaults.controlVariate ?? false);
  const samples = checkInteger("options.samples", options.samples ?? DEFAULT_SAMPLES, antithetic ? 2 : 1);
  if (antithetic && samples % 2 !== 0) {
    throw new InvalidArgumentError(
      "options.samples",
      "an even number when antithetic pairs are on (or pass antithetic: false)",
      samples,
    );
  }
  const pointsPerUnit = antithetic ? 2 : 1;
  const batchSize = checkInteger("options.batchSize", options.batchSize ?? oracle.maxBatchSize ?? 1024, pointsPerUnit);
  const seed = checkInteger("options.seed", options.seed ?? 0, -(2 ** 31), 2 ** 32 - 1);
  const normals = options.normals ?? "box-muller";
  if (normals !== "box-muller" && normals !== "ziggurat") {
    throw new InvalidArgumentError("options.normals", `"box-muller" or "ziggurat"`, options.normals);
  }
  if (options.onProgress !== undefined && typeof options.onProgress !== "function") {
    throw new InvalidArgumentError("options.onProgress", "a function", options.onProgress);
  }
  return {
    sigma,
    x0: point,
    samples,
    units: samples / pointsPerUnit,
    pointsPerUnit,
    seed,
    batchSize,
    antithetic,
    controlVariate,
    normals,
    onProgress: options.onProgress,
    signal: options.signal,
  };
}

function isCovariance(value: unknown): value is Covariance {
  return typeof value === "object" && value !== null && typeof (value as Covariance).perturbation === "function";
}

function checkBoolean(argument: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") throw new InvalidArgumentError(argument, "true or false", value);
  return value;
}

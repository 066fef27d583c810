import { InvalidArgumentError, described } from "@smoothhess/errors";
import { symmetrizeInPlace } from "@smoothhess/linalg";
import type { GradientOracle } from "@smoothhess/oracle";
import { gradientUnitBlocks, type PassSummary } from "./gradient-pass.js";
import { resolveSteinOptions, type SteinOptions } from "./stein-options.js";
import { ScalarMoments } from "./scalar-moments.js";
import { VectorMoments } from "./vector-moments.js";
import { float64Kernel, type OuterProductKernel } from "./outer-product-kernel.js";

/** Options of {@link smoothHess}. */
export interface SmoothHessOptions extends SteinOptions {
  /**
   * Also return the standard error of every Hessian entry (`standardError.hessian`). Costs two more d×d
   * accumulations per sample (about 3× the estimator's own arithmetic); default `false`.
   */
  readonly entrywiseError?: boolean;
  /**
   * Largest d for which a dense d×d result is allowed (default 8192, i.e. 512 MiB of float64). Above it use
   * {@link smoothHessFactored}.
   */
  readonly denseLimit?: number;
  /**
   * The `out += AᵀB` kernel for the d×d accumulation, which dominates the estimator's own cost (default: float64
   * JavaScript, ~1 GFMA/s). A faster kernel must keep the float64 accumulator; see {@link OuterProductKernel}.
   */
  readonly kernel?: OuterProductKernel;
}

/** Standard errors of a SmoothHess estimate. */
export interface SmoothHessStandardError {
  /** Standard error of each SmoothGrad coordinate. */
  readonly gradient: Float64Array;
  /** Standard error of the smoothed value. */
  readonly smoothedValue: number;
  /**
   * Root-mean-square Frobenius norm of the Hessian's Monte-Carlo error, `sqrt(E‖Ĥ − H‖²_F)`, estimated from the
   * per-sample terms at O(d) cost per sample.
   */
  readonly hessianFrobenius: number;
  /** Standard error of every Hessian entry (row-major d×d), when `entrywiseError` was requested. */
  readonly hessian?: Float64Array;
}

/** What {@link smoothHess} returns. */
export interface SmoothHessResult {
  /** Input dimension d. */
  readonly dim: number;
  /** SmoothHess, the symmetrised Stein estimate of ∇²(f ∗ q_Σ)(x₀) (paper Eq. 8), row-major d×d. */
  readonly hessian: Float64Array;
  /** SmoothGrad, the mean of the same gradients: an estimate of ∇(f ∗ q_Σ)(x₀). */
  readonly gradient: Float64Array;
  /** Mean of f over the same perturbed points: an estimate of (f ∗ q_Σ)(x₀). */
  readonly smoothedValue: number;
  /** Gradient evaluations at perturbed points (the Monte-Carlo n). */
  readonly samples: number;
  /** Points the oracle evaluated in all (samples, plus one with the control variate). */
  readonly oracleCalls: number;
  /** Monte-Carlo standard errors. */
  readonly standardError: SmoothHessStandardError;
}

/** Default largest dimension for a dense Hessian. */
export const DEFAULT_DENSE_LIMIT = 8192;

/**
 * **SmoothHess** and **SmoothGrad** of a function at x₀ from one pass of gradient calls (paper Eq. 8a/8b):
 *
 * Ĥ = sym( (1/n) Σᵢ Σ⁻¹δᵢ ∇f(x₀+δᵢ)ᵀ ),  Ĝ = (1/n) Σᵢ ∇f(x₀+δᵢ),  δᵢ ~ N(0, Σ).
 *
 * By Proposition 1 of the paper Ĥ is an unbiased estimate of the Hessian of f convolved with N(0, Σ), which is
 * well defined and informative for ReLU networks whose own Hessian is 0 almost everywhere.
 *
 * Gradients are accumulated in float64 whatever precision the oracle returns. Antithetic pairs (δ, −δ) are on by
 * default; the seed fixes every perturbation, so the result does not depend on `batchSize`.
 *
 * Cost: `samples` oracle gradients plus d²·samples/2 multiply-adds (antithetic) for the outer products.
 *
 * @param oracle - any gradient oracle of dimension d.
 * @param x0 - the point to explain, length d.
 * @param options - `covariance` is required; see {@link SmoothHessOptions}.
 * @throws `InvalidArgumentError` / `DimensionMismatchError` for bad input, `NotPositiveDefiniteError` for a full
 *   covariance that is not SPD, `OracleOutputError` when the oracle answers with the wrong shape or a non-finite
 *   number, `AbortedError` when `options.signal` fires.
 *
 * @example
 * ```ts
 * const { hessian, gradient } = await smoothHess(oracle, x0, { covariance: { sigma: 0.05 }, samples: 20_000 });
 * ```
 */
export async function smoothHess(oracle: GradientOracle, x0: ArrayLike<number>, options: SmoothHessOptions): Promise<SmoothHessResult> {
  const resolved = resolveSteinOptions(oracle, x0, options);
  const d = resolved.x0.length;
  const limit = options.denseLimit ?? DEFAULT_DENSE_LIMIT;
  if (d > limit) {
    throw new InvalidArgumentError(
      "oracle.dim",
      `at most ${limit} for a dense d×d SmoothHess (raise options.denseLimit, or use smoothHessFactored, which never allocates d×d)`,
      described(`${d}`),
    );
  }
  const entrywise = options.entrywiseError ?? false;
  const kernel = options.kernel ?? float64Kernel;
  const sum = new Float64Array(d * d);
  const squares = entrywise ? new Float64Array(d * d) : undefined;
  const cross = entrywise ? new Float64Array(d * d) : undefined;
  const gradient = new VectorMoments(d);
  const values = new ScalarMoments();
  let frobeniusSquares = 0;
  const summary: PassSummary = { oracleCalls: 0 };
  let w2 = new Float64Array(0), g2 = new Float64Array(0), wg = new Float64Array(0);

  // A kernel that copies its operands when called runs while the next batch is drawn and folded; at most one
  // batch's products are in flight, and they are awaited in order before the next ones and before `sum` is read.
  const deferred = kernel.copiesOperandsOnCall === true;
  let inFlight: Promise<unknown> = Promise.resolve();
  const product = async (out: Float64Array, a: Float64Array, b: Float64Array, m: number): Promise<void> => {
    const done = kernel.addTransposedProduct(out, a, b, m, d, d);
    if (!deferred) await done;
    else inFlight = Promise.all([inFlight, done]);
  };
  try {
    for await (const block of gradientUnitBlocks(oracle, resolved, "smoothHess", summary, gradient)) {
      const { units: m, white, diff } = block;
      await inFlight;
      inFlight = Promise.resolve();
      await product(sum, white, diff, m);
      values.addAll(block.values);
      let blockFrobenius = 0;
      for (let u = 0; u < m; u++) blockFrobenius += block.frobenius[u];
      frobeniusSquares += blockFrobenius;
      if (squares && cross) {
        if (w2.length < m * d) {
          w2 = new Float64Array(m * d);
          g2 = new Float64Array(m * d);
          wg = new Float64Array(m * d);
        }
        for (let k = 0; k < m * d; k++) {
          w2[k] = white[k] * white[k];
          g2[k] = diff[k] * diff[k];
          wg[k] = white[k] * diff[k];
        }
        await product(squares, w2.subarray(0, m * d), g2.subarray(0, m * d), m);
        await product(cross, wg.subarray(0, m * d), wg.subarray(0, m * d), m);
      }
      // Until awaited, a failed product must not count as an unhandled rejection.
      inFlight.catch(() => undefined);
    }
  } finally {
    // Settle what is in flight even when the pass failed, so that no product lands in `sum` after this returns.
    await inFlight.catch(() => undefined);
  }
  await inFlight;

  const units = resolved.units;
  for (let k = 0; k < d * d; k++) sum[k] /= units;
  const hessian = symmetrizeInPlace(sum, d);
  let norm = 0;
  for (let k = 0; k < d * d; k++) norm += hessian[k] * hessian[k];
  const hessianFrobenius = units > 1 ? Math.sqrt(Math.max(frobeniusSquares - units * norm, 0) / (units - 1) / units) : Number.NaN;

  let entrywiseError: Float64Array | undefined;
  if (squares && cross) {
    // Per-unit term t = (wᵣdc + dᵣwc)/2, so t² = (wᵣ²dc² + dᵣ²wc² + 2 wᵣdᵣ wcdc)/4.
    entrywiseError = new Float64Array(d * d);
    for (let r = 0; r < d; r++) {
      for (let c = 0; c < d; c++) {
        const meanSquare = (squares[r * d + c] + squares[c * d + r] + 2 * cross[r * d + c]) / 4 / units;
        const variance = ((meanSquare - hessian[r * d + c] ** 2) * units) / (units - 1);
        entrywiseError[r * d + c] = units > 1 ? Math.sqrt(Math.max(variance, 0) / units) : Number.NaN;
      }
    }
  }

  return {
    dim: d,
    hessian,
    gradient: gradient.mean(),
    smoothedValue: values.mean(),
    samples: resolved.samples,
    oracleCalls: summary.oracleCalls,
    standardError: {
      gradient: gradient.standardError(),
      smoothedValue: values.standardError(),
      hessianFrobenius,
      ...(entrywiseError ? { hessian: entrywiseError } : {}),
    },
  };
}

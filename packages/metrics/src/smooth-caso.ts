import { InvalidArgumentError } from "@smoothhess/errors";
import type { GradientOracle } from "@smoothhess/oracle";
import { type FactoredHessian, type SteinOptions, smoothGrad, smoothHess, smoothHessFactored } from "@smoothhess/stein";
import { type CafoOptions, type CafoResult, cafo } from "./cafo.js";
import { type CasoOptions, type CasoResult, caso } from "./caso.js";

/** Options of {@link smoothCaso}: the Stein estimator's options plus CASO's. */
export interface SmoothCasoOptions extends SteinOptions, CasoOptions {
  /**
   * How SmoothHess is kept: `"dense"` (`d×d`, default for `d ≤ 2048`) or `"factored"` (`sym(AᵀB)/m`, never
   * `d×d`; default above 2048).
   */
  readonly hessianForm?: "dense" | "factored";
}

/** What {@link smoothCaso} returns: the CASO result plus the smoothed derivatives it used. */
export interface SmoothCasoResult extends CasoResult {
  /** SmoothGrad of the loss at `x0`. */
  readonly smoothGradient: Float64Array;
  /** SmoothHess of the loss at `x0` (dense row-major `d×d`, or factored). */
  readonly smoothHessian: Float64Array | FactoredHessian;
  /** Gradient evaluations spent. */
  readonly samples: number;
}

/** Options of {@link smoothCafo}. */
export interface SmoothCafoOptions extends SteinOptions, CafoOptions {}

/** What {@link smoothCafo} returns. */
export interface SmoothCafoResult extends CafoResult {
  /** SmoothGrad of the loss at `x0`. */
  readonly smoothGradient: Float64Array;
  /** Gradient evaluations spent. */
  readonly samples: number;
}

const STEIN_KEYS = ["covariance", "samples", "seed", "batchSize", "antithetic", "controlVariate", "onProgress", "signal"] as const;

function steinPart(options: SteinOptions): SteinOptions {
  const out: Record<string, unknown> = {};
  for (const key of STEIN_KEYS) if (options[key] !== undefined) out[key] = options[key];
  return out as unknown as SteinOptions;
}

/**
 * **Smooth-CASO**: CASO (see {@link caso}) on the Gaussian-smoothed loss, `Δ* = argmax ĝᵀΔ + ½ΔᵀĤΔ − λ₁‖Δ‖₁ −
 * λ₂‖Δ‖²` with `ĝ`, `Ĥ` = SmoothGrad and SmoothHess of the loss `ℓ(·, y)` at `x0`, estimated from one pass of
 * gradient calls by `@smoothhess/stein`.
 *
 * This is the reading of the SmoothHess paper (App. D.1.1): Smooth-CASO with its regularisers at 0 is the
 * SmoothGrad + SmoothHess attack on the cross-entropy loss. It differs from a literal reading of the CASO paper's
 * Def. 4, which averages the *almost-everywhere* Hessians `Hₓ₊δ` of a ReLU network's loss: those miss the jumps of
 * the loss gradient across linear regions, so their average is not the Hessian of the smoothed loss, whereas
 * SmoothHess is (SmoothHess paper, Prop. 1). The CASO paper used `n = 50` samples with `σ = 0.15`.
 *
 * `λ₂` defaults to `L/2 + margin` with `L` the largest eigenvalue of SmoothHess (computed by Lanczos).
 *
 * @param lossOracle - a gradient oracle of the loss `x ↦ ℓ(f(x), y)` (e.g. cross-entropy at the predicted class):
 *   `networkOracle(net, { crossEntropy: y })` of `@smoothhess/oracle` (float64 reference networks) or
 *   `tfjsOracle(net, { crossEntropy: y })` of `@smoothhess/tfjs`.
 * @param x0 - the point to explain.
 * @param options - `covariance` (required) and the other Stein options; CASO's `lambda1`, `lambda2`, `margin`, …
 * @throws everything `smoothHess` / `smoothHessFactored` and {@link caso} throw, and {@link InvalidArgumentError}
 *   for an unknown `hessianForm`.
 *
 * @example
 * ```ts
 * const loss = networkOracle(net, { crossEntropy: label });
 * const { explanation, sparsity } = await smoothCaso(loss, x0, { covariance: { sigma: 0.15 }, samples: 2000, lambda1: 0.01 });
 * ```
 */
export async function smoothCaso(lossOracle: GradientOracle, x0: ArrayLike<number>, options: SmoothCasoOptions): Promise<SmoothCasoResult> {
  if (typeof options !== "object" || options === null) {
    throw new InvalidArgumentError("options", "an options object with at least { covariance }", options);
  }
  const d = lossOracle?.dim;
  const form = options.hessianForm ?? (typeof d === "number" && d > 2048 ? "factored" : "dense");
  if (form !== "dense" && form !== "factored") throw new InvalidArgumentError("options.hessianForm", '"dense" or "factored"', form);
  const stein = steinPart(options);
  const estimate = form === "dense" ? await smoothHess(lossOracle, x0, stein) : await smoothHessFactored(lossOracle, x0, stein);
  const result = caso({ gradient: estimate.gradient, hessian: estimate.hessian }, options);
  return { ...result, smoothGradient: estimate.gradient, smoothHessian: estimate.hessian, samples: estimate.samples };
}

/**
 * **Smooth-CAFO**: CAFO (see {@link cafo}) on SmoothGrad of the loss (CASO paper, after Def. 4). There is no Hessian,
 * so give `lambda2` (to compare with {@link smoothCaso}, pass the `lambda2` it returned).
 *
 * @throws everything `smoothGrad` and {@link cafo} throw.
 */
export async function smoothCafo(lossOracle: GradientOracle, x0: ArrayLike<number>, options: SmoothCafoOptions): Promise<SmoothCafoResult> {
  if (typeof options !== "object" || options === null) {
    throw new InvalidArgumentError("options", "an options object with at least { covariance, lambda2 }", options);
  }
  const estimate = await smoothGrad(lossOracle, x0, steinPart(options));
  const result = cafo({ gradient: estimate.gradient }, options);
  return { ...result, smoothGradient: estimate.gradient, samples: estimate.samples };
}

import erfc from "@stdlib/math-base-special-erfc";
import { checkPositive } from "@smoothhess/errors";

/**
 * A scalar activation with its first two derivatives, evaluated in float64.
 *
 * ReLU's derivative at 0 is taken as 0 (as PyTorch and tfjs do) and its second derivative is 0 everywhere.
 */
export interface Activation {
  /** `"relu"`, `"softplus"`, `"swish"` or `"gelu"`. */
  readonly name: "relu" | "softplus" | "swish" | "gelu";
  /** Smoothness parameter β of SoftPlus_β / Swish_β; undefined for ReLU and GELU. */
  readonly beta?: number;
  /** φ(x). */
  value(x: number): number;
  /** φ′(x). */
  derivative(x: number): number;
  /** φ″(x). */
  secondDerivative(x: number): number;
}

/** ReLU: max(0, x). */
export const relu: Activation = {
  name: "relu",
  value: (x) => (x > 0 ? x : 0),
  derivative: (x) => (x > 0 ? 1 : 0),
  secondDerivative: () => 0,
};

function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/**
 * SoftPlus_β(x) = log(1 + e^{βx}) / β, computed stably as max(x, 0) + log1p(e^{−β|x|}) / β.
 * Approaches ReLU as β → ∞.
 * @throws {@link InvalidArgumentError} when β is not a finite number > 0.
 */
export function softplus(beta: number): Activation {
  checkPositive("beta", beta);
  return {
    name: "softplus",
    beta,
    value: (x) => Math.max(x, 0) + Math.log1p(Math.exp(-beta * Math.abs(x))) / beta,
    derivative: (x) => sigmoid(beta * x),
    secondDerivative: (x) => {
      const s = sigmoid(beta * x);
      return beta * s * (1 - s);
    },
  };
}

/**
 * Swish_β(x) = x · sigmoid(βx). Approaches ReLU as β → ∞.
 * @throws {@link InvalidArgumentError} when β is not a finite number > 0.
 */
export function swish(beta: number): Activation {
  checkPositive("beta", beta);
  return {
    name: "swish",
    beta,
    value: (x) => x * sigmoid(beta * x),
    derivative: (x) => {
      const s = sigmoid(beta * x);
      return s + beta * x * s * (1 - s);
    },
    secondDerivative: (x) => {
      const s = sigmoid(beta * x);
      return beta * s * (1 - s) * (2 + beta * x * (1 - 2 * s));
    },
  };
}

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/**
 * GELU(x) = x·Φ(x) with the exact normal CDF Φ (not the tanh approximation).
 *
 * @param cdf - the standard normal CDF to use; defaults to an erfc-based implementation accurate to ~1e-15.
 */
export function gelu(cdf: (x: number) => number = normalCdf): Activation {
  return {
    name: "gelu",
    value: (x) => x * cdf(x),
    derivative: (x) => cdf(x) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x),
    secondDerivative: (x) => INV_SQRT_2PI * Math.exp(-0.5 * x * x) * (2 - x * x),
  };
}

/** Standard normal CDF Φ(x) = ½ erfc(−x/√2). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** Standard normal density φ(x). */
export function normalPdf(x: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}

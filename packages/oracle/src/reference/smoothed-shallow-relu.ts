import { InvalidArgumentError, checkFiniteArray, described } from "@smoothhess/errors";
import type { Covariance } from "../covariance.js";
import { normalCdf, normalPdf } from "./activation.js";
import type { DenseNetwork } from "./dense-network.js";

/** Value, gradient and Hessian of a Gaussian-smoothed function at one point. */
export interface SmoothedDerivatives {
  /** h(x₀) = E f(x₀ + δ). */
  readonly value: number;
  /** ∇h(x₀) — what SmoothGrad estimates. */
  readonly gradient: Float64Array;
  /** ∇²h(x₀), row-major d×d — what SmoothHess estimates. */
  readonly hessian: Float64Array;
}

/**
 * The exact Gaussian smoothing of a one-hidden-layer ReLU network `f(x) = Σⱼ aⱼ relu(wⱼᵀx + bⱼ) + c`, for any
 * covariance Σ: with `μⱼ = wⱼᵀx₀ + bⱼ` and `sⱼ² = wⱼᵀΣwⱼ`,
 *
 * - `h(x₀) = c + Σⱼ aⱼ (μⱼ Φ(μⱼ/sⱼ) + sⱼ φ(μⱼ/sⱼ))`
 * - `∇h(x₀) = Σⱼ aⱼ Φ(μⱼ/sⱼ) wⱼ`
 * - `∇²h(x₀) = Σⱼ aⱼ φ(μⱼ/sⱼ)/sⱼ · wⱼwⱼᵀ`
 *
 * (each hidden pre-activation is a 1-D Gaussian, and E relu(u) for u ~ N(μ, s²) is μΦ(μ/s) + sφ(μ/s)). This is
 * the ground truth that SmoothGrad and SmoothHess estimators are tested against.
 *
 * @param network - a ReLU network with exactly one hidden layer.
 * @param x0 - the point, length d.
 * @param sigma - the smoothing covariance (from `covariance()`).
 * @param output - which output (logit) to smooth; default 0.
 * @throws {@link InvalidArgumentError} when the network is not a one-hidden-layer ReLU network, or on bad x0.
 */
export function smoothedShallowRelu(
  network: DenseNetwork,
  x0: ArrayLike<number>,
  sigma: Covariance,
  output = 0,
): SmoothedDerivatives {
  if (network.layers.length !== 2 || network.activation.name !== "relu") {
    throw new InvalidArgumentError(
      "network",
      "a ReLU network with exactly one hidden layer",
      described(`${network.layers.length - 1} hidden layer(s) of ${network.activation.name}`),
    );
  }
  const d = network.inputDim;
  checkFiniteArray("x0", x0, d);
  if (sigma.dim !== d) throw new InvalidArgumentError("sigma", `a covariance of dimension ${d}`, described(`dimension ${sigma.dim}`));
  const [hidden, top] = network.layers;
  let value = top.bias[output];
  const gradient = new Float64Array(d);
  const hessian = new Float64Array(d * d);
  for (let j = 0; j < hidden.outputs; j++) {
    const a = top.weights[output * top.inputs + j];
    if (a === 0) continue;
    const w = (hidden.weights as Float64Array).subarray(j * d, (j + 1) * d);
    let mu = hidden.bias[j];
    for (let i = 0; i < d; i++) mu += w[i] * x0[i];
    const s = Math.sqrt(sigma.quadraticForm(w));
    if (s === 0) {
      value += a * Math.max(mu, 0);
      continue;
    }
    const t = mu / s;
    const cdf = normalCdf(t);
    const pdf = normalPdf(t);
    value += a * (mu * cdf + s * pdf);
    const curvature = (a * pdf) / s;
    for (let r = 0; r < d; r++) {
      gradient[r] += a * cdf * w[r];
      const wr = curvature * w[r];
      if (wr === 0) continue;
      for (let c = r; c < d; c++) hessian[r * d + c] += wr * w[c];
    }
  }
  for (let r = 0; r < d; r++) for (let c = 0; c < r; c++) hessian[r * d + c] = hessian[c * d + r];
  return { value, gradient, hessian };
}

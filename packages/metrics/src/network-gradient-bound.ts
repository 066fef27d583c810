import { InvalidArgumentError, checkInteger, checkPositive } from "@smoothhess/errors";
import { topEigen } from "@smoothhess/linalg";
import type { DenseLayer, DenseNetwork } from "@smoothhess/oracle";

/** Options of {@link denseNetworkGradientBound}. */
export interface NetworkGradientBoundOptions {
  /** Which output (logit) f is (default 0). */
  readonly output?: number;
  /**
   * sup|φ′| of the hidden activation. Default 1 for ReLU and SoftPlus (whose derivatives lie in [0, 1]); required
   * for any other activation.
   */
  readonly activationSlope?: number;
}

/**
 * A certified upper bound on `sup_x ‖∇f(x)‖₂` for one output f of a dense network: with `|φ′| ≤ s`,
 * `∇f(x) = W₁ᵀD₁ ⋯ W_{L−1}ᵀD_{L−1} w_L`, so `‖∇f‖₂ ≤ s^{L−1} ‖w_L‖₂ Π_{l<L} ‖W_l‖₂` (`w_L` the output's row of the
 * last layer, `‖·‖₂` spectral norms). For one hidden layer the sharper `s Σⱼ |aⱼ| ‖wⱼ‖₂` is taken when smaller.
 *
 * This is the `gradMax` that `smoothGradLipschitzBound` and `smoothHessLipschitzBound` need. For deep networks it
 * can be far above the largest gradient norm actually reached; the bounds built on it stay valid but loose.
 *
 * @throws {@link InvalidArgumentError} for an output index out of range, a missing slope for an activation
 *   other than ReLU/SoftPlus, or a slope ≤ 0.
 */
export function denseNetworkGradientBound(network: DenseNetwork, options: NetworkGradientBoundOptions = {}): number {
  if (!network || !Array.isArray(network.layers)) throw new InvalidArgumentError("network", "a DenseNetwork", network);
  const output = checkInteger("options.output", options.output ?? 0, 0, network.outputDim - 1);
  let slope = options.activationSlope;
  if (slope === undefined) {
    if (network.activation.name !== "relu" && network.activation.name !== "softplus") {
      throw new InvalidArgumentError(
        "options.activationSlope",
        `sup|φ′| of the ${network.activation.name} activation (only ReLU and SoftPlus have the default 1)`,
        undefined,
      );
    }
    slope = 1;
  }
  checkPositive("options.activationSlope", slope);
  const layers = network.layers;
  const last = layers[layers.length - 1];
  let top = 0;
  for (let j = 0; j < last.inputs; j++) top += last.weights[output * last.inputs + j] ** 2;
  let product = Math.sqrt(top);
  for (let l = 0; l < layers.length - 1; l++) product *= slope * spectralNormOf(layers[l]);
  if (layers.length === 2) {
    const hidden = layers[0];
    let sum = 0;
    for (let j = 0; j < hidden.outputs; j++) {
      let row = 0;
      for (let i = 0; i < hidden.inputs; i++) row += hidden.weights[j * hidden.inputs + i] ** 2;
      sum += Math.abs(last.weights[output * last.inputs + j]) * Math.sqrt(row);
    }
    product = Math.min(product, slope * sum);
  }
  return product;
}

/** ‖W‖₂ of a row-major `outputs×inputs` layer: √λ_max of the smaller Gram matrix, by Lanczos. */
function spectralNormOf(layer: DenseLayer): number {
  const { weights: w, inputs: n, outputs: m } = layer;
  // Gram matrix on the smaller side: WWᵀ (m×m) when m ≤ n, else WᵀW (n×n); applied without forming it.
  const small = Math.min(m, n);
  const tmp = new Float64Array(Math.max(m, n));
  const out = new Float64Array(small);
  const matvec = (x: Float64Array): Float64Array => {
    if (m <= n) {
      for (let i = 0; i < n; i++) tmp[i] = 0;
      for (let r = 0; r < m; r++) for (let i = 0; i < n; i++) tmp[i] += w[r * n + i] * x[r];
      for (let r = 0; r < m; r++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += w[r * n + i] * tmp[i];
        out[r] = s;
      }
    } else {
      for (let r = 0; r < m; r++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += w[r * n + i] * x[i];
        tmp[r] = s;
      }
      for (let i = 0; i < n; i++) out[i] = 0;
      for (let r = 0; r < m; r++) for (let i = 0; i < n; i++) out[i] += w[r * n + i] * tmp[r];
    }
    return out;
  };
  const { values, residuals } = topEigen(matvec, small, 1, { order: "descending", tolerance: 1e-12 });
  // a Ritz value lies below λ_max; adding its residual keeps the bound on the safe side
  return Math.sqrt(Math.max(values[0] + residuals[0], 0));
}

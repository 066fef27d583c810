import { InvalidArgumentError, checkInteger } from "@smoothhess/errors";
import { gaussianSampler } from "@smoothhess/random";
import { relu, type Activation } from "./activation.js";
import { denseNetwork, type DenseNetwork } from "./dense-network.js";

/** Options of {@link randomDenseNetwork}. */
export interface RandomDenseNetworkOptions {
  /** Seed of the weights (default 0). */
  readonly seed?: number;
  /** Hidden activation (default ReLU). */
  readonly activation?: Activation;
  /** Standard deviation of the biases (default 0.1); weights are He-normal, N(0, 2/fan_in). */
  readonly biasScale?: number;
}

/**
 * A seeded random {@link DenseNetwork} with the given layer sizes, e.g. `[784, 500, 300, 250, 250, 250, 10]`
 * for the paper's MNIST MLP. For tests and benchmarks where trained weights are not needed.
 */
export function randomDenseNetwork(sizes: readonly number[], options: RandomDenseNetworkOptions = {}): DenseNetwork {
  if (!Array.isArray(sizes) || sizes.length < 2) throw new InvalidArgumentError("sizes", "at least two layer sizes", sizes);
  sizes.forEach((s, i) => checkInteger(`sizes[${i}]`, s, 1));
  const rng = gaussianSampler(options.seed ?? 0);
  const biasScale = options.biasScale ?? 0.1;
  const layers = [];
  for (let l = 1; l < sizes.length; l++) {
    const inputs = sizes[l - 1], outputs = sizes[l];
    const weights = rng.fillNormal(new Float64Array(inputs * outputs));
    const scale = Math.sqrt(2 / inputs);
    for (let i = 0; i < weights.length; i++) weights[i] *= scale;
    const bias = rng.fillNormal(new Float64Array(outputs));
    for (let i = 0; i < outputs; i++) bias[i] *= biasScale;
    layers.push({ weights, bias });
  }
  return denseNetwork(layers, options.activation ?? relu);
}

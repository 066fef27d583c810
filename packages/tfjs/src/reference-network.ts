import { denseNetwork, relu, type DenseNetwork } from "@smoothhess/oracle";
import { InvalidArgumentError } from "@smoothhess/errors";
import type { Network } from "./network.js";

/**
 * The float64 reference network (`@smoothhess/oracle`) with the weights of a trained tfjs MLP. The tfjs layer is
 * `x·W + b` with `W` stored `in × out`; the reference layer is `W x + b` with `W` row-major `out × in`, so every
 * kernel is transposed. Float32 weights convert to float64 exactly; only the arithmetic differs (float64 here), so
 * gradients and Hessians of the result are exact and identical on every machine.
 *
 * Only ReLU MLPs (`mlp()`, `paperToyMlp()`, `paperMnistMlp()`) convert: the reference network has no convolutions.
 * @throws {@link InvalidArgumentError} naming `network` for any other architecture.
 *
 * @example
 * ```ts
 * const reference = referenceFromTfjsMlp(paperToyMlp(1));
 * const oracle = networkOracle(reference);   // @smoothhess/oracle, float64
 * ```
 */
export function referenceFromTfjsMlp(network: Network): DenseNetwork {
  if (network.architecture !== "mlp") throw new InvalidArgumentError("network", "a tfjs MLP (architecture \"mlp\")", network.architecture);
  const layers = [];
  for (let i = 0; network.weights.has(`dense${i}/kernel`); i++) {
    const kernel = network.weights.get(`dense${i}/kernel`)!;
    const bias = network.weights.get(`dense${i}/bias`)!;
    const [inputs, outputs] = kernel.shape;
    const w = kernel.dataSync();
    const weights = new Float64Array(inputs * outputs);
    for (let r = 0; r < inputs; r++) for (let c = 0; c < outputs; c++) weights[c * inputs + r] = w[r * outputs + c];
    layers.push({ weights, bias: Float64Array.from(bias.dataSync()) });
  }
  return denseNetwork(layers, relu);
}

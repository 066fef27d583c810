import { InvalidArgumentError } from "@smoothhess/errors";
import type { DenseNetwork } from "@smoothhess/oracle";
import { NoReluError } from "./no-relu-error.js";
import { referenceModel, type ReferenceModel, type ReferenceModelOptions } from "./reference-model.js";
import { referenceWeights } from "./reference-second-order.js";
import type { SurrogateNetwork } from "./second-order-model.js";
import { activationLabel, checkSurrogateActivation, toReferenceActivation, type SurrogateActivationInput } from "./surrogate-activation.js";

/**
 * The {@link SurrogateNetwork} capability of a float64 ReLU `DenseNetwork` (from `@smoothhess/oracle`):
 * `original` is the network itself, `surrogate({ name: "softplus", beta })` the same weights with SoftPlus_β,
 * computed with `network.withActivation` (no copy). The float64 weight transposes the second-order passes use are
 * computed once and shared by every surrogate, so sweeping β costs only the passes themselves.
 *
 * @param network - a `DenseNetwork` with ReLU hidden activations and at least one hidden layer.
 * @param options - `denseLimit` for the dense Hessians.
 * @throws {@link NoReluError} when the network has no hidden layer or its activation is not ReLU;
 *   {@link InvalidArgumentError} when `network` is not a `DenseNetwork`.
 * @example
 * ```ts
 * const net = referenceSurrogates(randomDenseNetwork([784, 500, 300, 250, 250, 250, 10], { seed: 1 }));
 * const sp = net.surrogate({ name: "softplus", beta: 10 });
 * const { hessians } = sp.hessians(x0, 1, { output: 3 });   // 784×784, exact
 * ```
 */
export function referenceSurrogates(
  network: DenseNetwork,
  options: ReferenceModelOptions = {},
): SurrogateNetwork<ReferenceModel> {
  if (typeof network !== "object" || network === null || !Array.isArray(network.layers) || typeof network.withActivation !== "function") {
    throw new InvalidArgumentError("network", "a DenseNetwork from @smoothhess/oracle", network);
  }
  if (network.layers.length < 2) throw new NoReluError("network", "a network with no hidden layer (a single affine map)");
  if (network.activation?.name !== "relu") {
    throw new NoReluError("network", `hidden activation ${activationLabel(network.activation ?? { name: String(network.activation) })}`);
  }
  referenceWeights(network); // computed once here, shared by every surrogate
  const original = referenceModel(network, options);
  return {
    dim: original.dim,
    outputDim: original.outputDim,
    hiddenSizes: original.hiddenSizes,
    original,
    surrogate(activation: SurrogateActivationInput): ReferenceModel {
      const checked = checkSurrogateActivation("activation", activation);
      return referenceModel(network.withActivation(toReferenceActivation(checked)), options);
    },
  };
}

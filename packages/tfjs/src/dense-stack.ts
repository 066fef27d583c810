import * as tf from "@tensorflow/tfjs-core";
import { DimensionMismatchError, described } from "@smoothhess/errors";
import { mlp } from "./mlp.js";
import type { Network } from "./network.js";

/** One affine layer of a Dense/ReLU stack as tfjs stores it: `kernel` is `[inputs, outputs]` (`y = x·W + b`). */
export interface DenseKernel {
  readonly kernel: tf.Tensor;
  /** `[outputs]`; absent for a layer without bias. */
  readonly bias?: tf.Tensor;
}

/**
 * This package's MLP ({@link mlp}, the network the fast engine of `tfjsOracle` runs) with the given Dense layers'
 * weights, ReLU between them and none after the last. The tensors are copied, so the MLP does not change when the
 * source model does; dispose it when done.
 *
 * The shapes are checked against each other (tfjs' `[inputs, outputs]` orientation, each layer's inputs equal to
 * the previous layer's outputs, bias length equal to outputs): a weight matrix copied the other way round (PyTorch's
 * and ONNX's `[outputs, inputs]`) is rejected unless the layer is square.
 *
 * @param layers - the Dense layers, input first.
 * @param inputShape - shape of one input example (its product must be the first kernel's inputs); default
 *   `[inputs]`. Inputs of higher rank are flattened row-major, as tfjs' `Flatten` does.
 * @throws {@link DimensionMismatchError} naming `layers[l].kernel` / `layers[l].bias` whose shape does not fit.
 */
export function mlpFromDenseKernels(layers: readonly DenseKernel[], inputShape?: readonly number[]): Network {
  const sizes: number[] = [];
  const weights = new Map<string, tf.Tensor>();
  try {
    layers.forEach(({ kernel, bias }, l) => {
      if (kernel.rank !== 2) {
        throw new DimensionMismatchError(`layers[${l}].kernel`, "a 2-D [inputs, outputs] matrix", described(`shape [${kernel.shape}]`));
      }
      const [inputs, outputs] = kernel.shape;
      if (l === 0) sizes.push(inputs);
      const previous = sizes[sizes.length - 1];
      if (inputs !== previous) {
        const hint = outputs === previous ? " — it looks transposed: tfjs Dense kernels are [inputs, outputs]" : "";
        throw new DimensionMismatchError(
          `layers[${l}].kernel`,
          `shape [${previous}, outputs] ([inputs, outputs]; the previous layer has ${previous} outputs)${hint}`,
          described(`shape [${kernel.shape}]`),
        );
      }
      if (bias !== undefined && (bias.rank !== 1 || bias.shape[0] !== outputs)) {
        throw new DimensionMismatchError(`layers[${l}].bias`, `shape [${outputs}] (the kernel's outputs)`, described(`shape [${bias.shape}]`));
      }
      sizes.push(outputs);
      weights.set(`dense${l}/kernel`, tf.clone(kernel));
      weights.set(`dense${l}/bias`, bias ? tf.clone(bias) : tf.zeros([outputs]));
    });
    if (inputShape !== undefined) {
      const size = inputShape.reduce((a, b) => a * b, 1);
      if (size !== sizes[0]) {
        throw new DimensionMismatchError("inputShape", `${sizes[0]} entries in all (the first kernel's inputs)`, described(`[${inputShape}] = ${size}`));
      }
    }
    const network = mlp({ sizes, initialWeights: weights });
    // mlp() validated the sizes; report the user's input shape (e.g. [28, 28, 1] before a Flatten).
    return inputShape && inputShape.length > 1 ? { ...network, inputShape: Object.freeze([...inputShape]) } : network;
  } finally {
    for (const t of weights.values()) t.dispose();
  }
}

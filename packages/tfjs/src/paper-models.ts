import type * as tf from "@tensorflow/tfjs-core";
import { InvalidArgumentError } from "@smoothhess/errors";
import { cnn1d } from "./cnn1d.js";
import type { Cnn1dConfig } from "./cnn1d.js";
import { mlp } from "./mlp.js";
import type { Architecture, Network } from "./network.js";
import { resnet18 } from "./resnet18.js";
import type { ResNet18Config } from "./resnet18.js";

/** Layer widths of the paper's MNIST / FMNIST network: 784-500-300-250-250-250-10 (five hidden ReLU layers). */
export const MNIST_MLP_SIZES: readonly number[] = Object.freeze([784, 500, 300, 250, 250, 250, 10]);

/**
 * Layer widths used here for the 2-D toy sets (Four Quadrant, Nested Interactions): six dense layers,
 * 2-64-64-64-64-64-1. The paper says only "6-layer fully connected"; the widths are this package's choice.
 */
export const TOY_MLP_SIZES: readonly number[] = Object.freeze([2, 64, 64, 64, 64, 64, 1]);

/** The paper's MNIST / FMNIST MLP (App. E), He-uniform initialised from `seed`. */
export function paperMnistMlp(seed = 0): Network {
  return mlp({ sizes: MNIST_MLP_SIZES, seed });
}

/** The 2 → … → 1 MLP for the 2-D toy sets ({@link TOY_MLP_SIZES}), initialised from `seed`. */
export function paperToyMlp(seed = 0): Network {
  return mlp({ sizes: TOY_MLP_SIZES, seed });
}

/** The paper's CIFAR-10 ResNet-18 (32×32×3, 10 classes, width 64), initialised from `seed`. */
export function paperResNet18(seed = 0): Network {
  return resnet18({ seed });
}

/** The paper's spirometry CNN: 300 samples, 10 blocks, kernel 200, 20 channels, dropout 0.5, one output. */
export function paperSpirometryCnn(seed = 0): Network {
  return cnn1d({ seed });
}

/**
 * Rebuild a network from its `architecture` and `config` (as stored by `saveNetwork`) with the given weights
 * and buffers by name.
 * @throws {@link InvalidArgumentError} for an unknown architecture or a weight missing from `tensors`;
 *   `DimensionMismatchError` for a weight of the wrong shape.
 */
export function networkFromConfig(
  architecture: Architecture,
  config: Readonly<Record<string, unknown>>,
  tensors?: ReadonlyMap<string, tf.Tensor>,
): Network {
  switch (architecture) {
    case "mlp":
      return mlp({ sizes: config.sizes as number[], initialWeights: tensors });
    case "resnet18":
      return resnet18({ ...(config as ResNet18Config), initialWeights: tensors });
    case "cnn1d":
      return cnn1d({ ...(config as Cnn1dConfig), initialWeights: tensors });
    default:
      throw new InvalidArgumentError("architecture", '"mlp", "resnet18" or "cnn1d"', architecture);
  }
}

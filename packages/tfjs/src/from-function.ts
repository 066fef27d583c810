import type * as tf from "@tensorflow/tfjs-core";
import { InvalidArgumentError } from "@smoothhess/errors";
import { ModelOracle, checkInputShape, functionNetwork } from "./model-oracle.js";
import type { TfjsTarget } from "./target.js";
import { requireBackend } from "./backend.js";

/** Options of {@link fromFunction}. */
export interface FunctionOracleOptions {
  /** Shape of one input example (without the batch axis), e.g. `[784]` or `[28, 28, 1]`. Required. */
  readonly inputShape: readonly number[];
  /** Largest batch computed at once (bigger requests are split). Default 256. */
  readonly maxBatchSize?: number;
}

/**
 * A gradient oracle for one scalar target of any differentiable function of tfjs tensors, by autograd (`tf.grad`):
 * `model` maps a batch `[n, ...inputShape]` to outputs `[n, c]` (higher ranks are flattened per row), using tfjs
 * ops whose gradients are registered. Targets are those of `tfjsOracle` (`{ output: k }`, `{ softmax: k }`,
 * `{ crossEntropy: y }`, `"predicted"` classes, `{ fn }`), applied to the function's output.
 *
 * The function is called inside `tf.tidy`; it must not keep the tensors it creates.
 *
 * @throws {@link InvalidArgumentError} for a `model` that is not a function, a bad `inputShape` or target;
 *   `UnsupportedModelError` when the function does not return one tensor with the batch first.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { fromFunction } from "@smoothhess/tfjs";
 * const w = tf.randomNormal([2, 3]);
 * const oracle = fromFunction((x) => tf.relu(tf.matMul(x, w)), { output: 0 }, { inputShape: [2] });
 * ```
 */
export function fromFunction(
  model: (x: tf.Tensor) => tf.Tensor,
  target: TfjsTarget,
  options: FunctionOracleOptions,
): ModelOracle {
  requireBackend("fromFunction");
  if (typeof model !== "function") throw new InvalidArgumentError("model", "a function (x: tf.Tensor) => tf.Tensor", model);
  if (!options || typeof options !== "object") {
    throw new InvalidArgumentError("options", "{ inputShape } (the shape of one input example)", options);
  }
  const inputShape = checkInputShape("options.inputShape", options.inputShape);
  const network = functionNetwork(model, inputShape, "model");
  return new ModelOracle({ kind: "autograd", network }, target, { engine: "autograd", maxBatchSize: options.maxBatchSize });
}

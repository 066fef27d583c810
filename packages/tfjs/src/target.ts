import * as tf from "@tensorflow/tfjs-core";
import { DimensionMismatchError, InvalidArgumentError, checkFiniteArray, checkInteger, described } from "@smoothhess/errors";
import type { ActivationSpec } from "./activation-ops.js";
import type { Network } from "./network.js";

/**
 * Which scalar function of the network an oracle explains (paper Sec. 5), in the same shape as
 * `NetworkTarget` of `@smoothhess/oracle`, plus "predicted class" and user functions:
 *
 * - `{ output: k }`: logit k. `{ output: "predicted", at: x0 }`: the logit of the class the ReLU network predicts
 *   at `x0` (fixed once, so every perturbed point reads the same logit, and a SoftPlus / Swish surrogate oracle
 *   explains the same class as the ReLU one).
 * - `{ softmax: k }` / `{ softmax: "predicted", at: x0 }`: the SoftMax probability of class k / of the class
 *   predicted at `x0`.
 * - `{ layer: l, unit: i }`: pre-activation of unit i (0-based, row-major over the layer's shape) of hidden layer l
 *   (1-based; the last hidden layer is the paper's "penultimate neuron").
 * - `{ fn }`: any function of the model output: `fn(output)` maps the `n × outputSize` output tensor to `n`
 *   values (tfjs ops only, so it is differentiable).
 */
export type TfjsTarget =
  | { readonly output: number | "predicted"; readonly at?: ArrayLike<number> }
  | { readonly softmax: number | "predicted"; readonly at?: ArrayLike<number> }
  | { readonly layer: number; readonly unit: number }
  | { readonly fn: (output: tf.Tensor2D) => tf.Tensor };

/** A target checked against a network, with indices resolved (layer 0-based here). */
export type ResolvedTfjsTarget =
  | { readonly kind: "logit" | "softmax"; readonly classIndex: number }
  | { readonly kind: "neuron"; readonly layer: number; readonly unit: number }
  | { readonly kind: "fn"; readonly fn: (output: tf.Tensor2D) => tf.Tensor };

/**
 * The class the network predicts at `x` (argmax of the output), evaluated with `activation` (default ReLU).
 * @throws {@link DimensionMismatchError} when `x` does not have `network.inputSize` entries.
 */
export function predictedClass(network: Network, x: ArrayLike<number>, activation?: ActivationSpec, argument = "x"): number {
  checkFiniteArray(argument, x, network.inputSize);
  const index = tf.tidy(() => {
    const input = tf.tensor2d(Float32Array.from(x), [1, network.inputSize]);
    return tf.argMax(network.forward(input, { activation }).output, 1);
  });
  const k = index.dataSync()[0];
  index.dispose();
  return k;
}

/**
 * Check a {@link TfjsTarget} against `network` and resolve "predicted" classes.
 * @throws {@link InvalidArgumentError} naming the field (`target.output`, `target.layer`, `target.unit`, …) that is
 *   out of range; {@link DimensionMismatchError} for an anchor `at` of the wrong length.
 */
export function resolveTfjsTarget(network: Network, target: TfjsTarget, argument = "target"): ResolvedTfjsTarget {
  const t = target as Record<string, unknown> | null | undefined;
  if (t && typeof t === "object") {
    for (const kind of ["output", "softmax"] as const) {
      if (kind in t) {
        const value = t[kind];
        let classIndex: number;
        if (value === "predicted") {
          if (t.at === undefined) {
            throw new InvalidArgumentError(`${argument}.at`, 'the point x0 whose predicted class is explained (required with "predicted")', undefined);
          }
          // The class the network (with ReLU) predicts, so a surrogate oracle explains the same class.
          classIndex = predictedClass(network, t.at as ArrayLike<number>, undefined, `${argument}.at`);
        } else {
          classIndex = checkInteger(`${argument}.${kind}`, value, 0, network.outputSize - 1);
        }
        return { kind: kind === "output" ? "logit" : "softmax", classIndex };
      }
    }
    if ("layer" in t || "unit" in t) {
      const layers = network.layerSizes.length;
      const layer = checkInteger(`${argument}.layer`, t.layer, 1, layers);
      const unit = checkInteger(`${argument}.unit`, t.unit, 0, network.layerSizes[layer - 1] - 1);
      return { kind: "neuron", layer: layer - 1, unit };
    }
    if (typeof t.fn === "function") return { kind: "fn", fn: t.fn as (output: tf.Tensor2D) => tf.Tensor };
  }
  throw new InvalidArgumentError(
    argument,
    '{ output: k | "predicted", at? } | { softmax: k | "predicted", at? } | { layer, unit } | { fn }',
    target,
  );
}

/**
 * The target's value for every row of `x`, shape `[n]`, as a differentiable tfjs expression.
 * @throws {@link DimensionMismatchError} when a user `fn` does not return `n` values.
 */
export function targetValues(
  network: Network,
  target: ResolvedTfjsTarget,
  x: tf.Tensor2D,
  activation?: ActivationSpec,
): tf.Tensor1D {
  const n = x.shape[0];
  const column = (m: tf.Tensor2D, j: number) => tf.reshape(tf.slice(m, [0, j], [n, 1]), [n]) as tf.Tensor1D;
  switch (target.kind) {
    case "logit":
      return column(network.forward(x, { activation }).output, target.classIndex);
    case "softmax":
      return column(tf.softmax(network.forward(x, { activation }).output), target.classIndex);
    case "neuron":
      return column(network.forward(x, { activation, capture: true }).preActivations[target.layer], target.unit);
    case "fn": {
      const values = target.fn(network.forward(x, { activation }).output);
      if (values.size !== n) {
        throw new DimensionMismatchError("target.fn(output)", `${n} values (one per row)`, described(`shape [${values.shape}]`));
      }
      return tf.reshape(values, [n]) as tf.Tensor1D;
    }
  }
}

import * as tf from "@tensorflow/tfjs-core";
import { DimensionMismatchError, InvalidArgumentError, checkFiniteArray, checkInteger, described } from "@smoothhess/errors";
import type { ActivationSpec } from "./activation-ops.js";
import { crossEntropyHead, softmaxProbabilityHead } from "./logit-heads.js";
import type { Network } from "./network.js";

/**
 * Which scalar function of the network an oracle explains (paper Sec. 5), in the same shape as
 * `NetworkTarget` of `@smoothhess/oracle`, plus "predicted class" and user functions:
 *
 * - `{ output: k }`: logit k. `{ output: "predicted", at: x0 }`: the logit of the class the ReLU network predicts
 *   at `x0` (fixed once, so every perturbed point reads the same logit, and a SoftPlus / Swish surrogate oracle
 *   explains the same class as the ReLU one).
 * - `{ softmax: k }` / `{ softmax: "predicted", at: x0 }`: the SoftMax probability of class k / of the class
 *   predicted at `x0`. Its gradient is computed from the class-shifted logits (`p_k Σ_{j≠k} p_j`, `−p_k p_j`), so
 *   confident predictions (`p_k = 1` in float32) keep their gradient.
 * - `{ crossEntropy: y }` / `{ crossEntropy: "predicted", at: x0 }`: the cross-entropy loss `−log softmax(f(x))_y`
 *   of label y / of the class predicted at `x0` (the loss CASO/CAFO explain; the same target as `{ crossEntropy: y }`
 *   of `@smoothhess/oracle` and `@smoothhess/surrogates`). Computed stably in float32 from the label-shifted logits
 *   (`log1p`/`expm1`), so confident predictions keep their small loss and gradient.
 * - `{ layer: l, unit: i }`: pre-activation of unit i (0-based, row-major over the layer's shape) of hidden layer l
 *   (1-based; the last hidden layer is the paper's "penultimate neuron").
 * - `{ fn }`: any function of the model output: `fn(output)` maps the `n × outputSize` output tensor to `n`
 *   values (tfjs ops only, so it is differentiable).
 */
export type TfjsTarget =
  | { readonly output: number | "predicted"; readonly at?: ArrayLike<number> }
  | { readonly softmax: number | "predicted"; readonly at?: ArrayLike<number> }
  | { readonly crossEntropy: number | "predicted"; readonly at?: ArrayLike<number> }
  | { readonly layer: number; readonly unit: number }
  | { readonly fn: (output: tf.Tensor2D) => tf.Tensor };

/**
 * A target checked against a network, with indices resolved (layer 0-based here); for `"crossEntropy"`,
 * `classIndex` is the label y.
 */
export type ResolvedTfjsTarget =
  | { readonly kind: "logit" | "softmax" | "crossEntropy"; readonly classIndex: number }
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
 * @throws {@link InvalidArgumentError} naming the field (`target.output`, `target.crossEntropy` for a label that is
 *   not an integer in `[0, outputSize)`, `target.layer`, `target.unit`, …) that is out of range;
 *   {@link DimensionMismatchError} for an anchor `at` of the wrong length.
 */
export function resolveTfjsTarget(network: Network, target: TfjsTarget, argument = "target"): ResolvedTfjsTarget {
  const t = target as Record<string, unknown> | null | undefined;
  if (t && typeof t === "object") {
    for (const kind of ["output", "softmax", "crossEntropy"] as const) {
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
        return { kind: kind === "output" ? "logit" : kind, classIndex };
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
    '{ output: k | "predicted", at? } | { softmax: k | "predicted", at? } | { crossEntropy: y | "predicted", at? } | { layer, unit } | { fn }',
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
      return softmaxProbability(network.forward(x, { activation }).output, target.classIndex);
    case "crossEntropy":
      return crossEntropyLoss(network.forward(x, { activation }).output, target.classIndex);
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

/**
 * The SoftMax probability `p_k = softmax(z)_k` of every row of the logits `z` (`n × c`), as a differentiable tfjs
 * expression of shape `[n]`, with a gradient that stays accurate for confident predictions.
 *
 * From the class-shifted logits `s = z − z_k` (`s_k = 0`, `M = max_j s_j ≥ 0`, `V = Σ_{j≠k} e^{s_j − M}`,
 * `D = e^{−M} + V`): `p_k = e^{−M}/D`, and `∂p_k/∂z_k = p_k V/D = p_k Σ_{j≠k} p_j`, `∂p_k/∂z_j = −p_k e^{s_j − M}/D =
 * −p_k p_j` (j ≠ k). Autodiff of `tf.softmax` gives `p_k(1 − p_k)` at the class, which is 0 in float32 once `p_k`
 * rounds to 1 (margins above ~17), dropping the `∇z_k` term of the input gradient `Σ_{j≠k} p_k p_j (∇z_k − ∇z_j)`.
 * The gradient is a `tf.customGrad` recomputed from the saved *input* logits (as `softmaxRows` of
 * `@smoothhess/surrogates`); nothing overflows for any finite logits. The fast kernels seed their backward pass with
 * the same function (`softmaxProbabilityHead`).
 *
 * Creates intermediate tensors: call it inside `tf.tidy` (as {@link targetValues} is).
 *
 * @param z - the logits, `n × c`.
 * @param k - the class, an integer in `[0, c)` (not checked here; {@link resolveTfjsTarget} checks it).
 * @internal
 */
export function softmaxProbability(z: tf.Tensor2D, k: number): tf.Tensor1D {
  return headExpression(softmaxProbabilityHead, z, k);
}

/**
 * The cross-entropy loss `ℓ = −log softmax(z)_y = logsumexp(z) − z_y` of every row of the logits `z` (`n × c`), as a
 * differentiable tfjs expression of shape `[n]`.
 *
 * Stable in float32: from the label-shifted logits `s = z − z_y` (`s_y = 0`, `M = max_j s_j ≥ 0`),
 * `ℓ = M + log1p(expm1(−M) + V)` with `V = Σ_{j≠y} exp(s_j − M)` (log1p by Goldberg's formula, because wasm's
 * `Log1p` computes `log(1 + u)`). Nothing overflows, and for a confident prediction (`M = 0`, `ℓ = log1p(V)`) the
 * small loss keeps its relative precision, where `logsumexp(z) − z_y` cancels to 0 once `ℓ` drops below the rounding
 * of `z_y` (margins above ~17 in float32). Its gradient, a `tf.customGrad` recomputed from the saved input logits, is
 * `∂ℓ/∂z_j = p_j` (j ≠ y) and `∂ℓ/∂z_y = −Σ_{j≠y} p_j`, precise in the same regime (unlike `p_y − 1`). The fast
 * kernels seed their backward pass with the same function (`crossEntropyHead`).
 *
 * Creates intermediate tensors: call it inside `tf.tidy` (as {@link targetValues} is).
 *
 * @param z - the logits, `n × c`.
 * @param y - the label, an integer in `[0, c)` (not checked here; {@link resolveTfjsTarget} checks it).
 * @internal
 */
export function crossEntropyLoss(z: tf.Tensor2D, y: number): tf.Tensor1D {
  return headExpression(crossEntropyHead, z, y);
}

/**
 * `head(z, k)`'s values as a differentiable expression whose gradient is `dy ⊙ ∂values/∂z` from the same head,
 * recomputed from the saved input logits.
 */
function headExpression(
  head: (z: tf.Tensor2D, k: number) => [tf.Tensor1D, tf.Tensor2D],
  z: tf.Tensor2D,
  k: number,
): tf.Tensor1D {
  const n = z.shape[0];
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const logits = args[0] as tf.Tensor2D;
    (args[1] as tf.GradSaveFunc)([logits]);
    return {
      value: head(logits, k)[0],
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(tf.reshape(dy, [n, 1]), head(saved[0] as tf.Tensor2D, k)[1]),
    };
  })(z) as tf.Tensor1D;
}

import * as tf from "@tensorflow/tfjs-core";
import type { TfjsActivationOps } from "@smoothhess/tfjs";

// The formulas of φ, φ′ and φ″ live once, in `activationOps` of @smoothhess/tfjs.
export { activationOps, type TfjsActivationOps } from "@smoothhess/tfjs";

/**
 * @internal φ as a tfjs op whose gradient is `dy·φ′(z)` computed from the saved **input** z (first order only;
 * the second-order passes never differentiate through it).
 */
export function siteWithExactGradient(ops: TfjsActivationOps): (z: tf.Tensor) => tf.Tensor {
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const z = args[0] as tf.Tensor;
    (args[1] as tf.GradSaveFunc)([z]);
    return {
      value: ops.value(z),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, ops.slope(saved[0])),
    };
  }) as (z: tf.Tensor) => tf.Tensor;
}

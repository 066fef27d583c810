import * as tf from "@tensorflow/tfjs-core";
import type { ModelActivation } from "../surrogate-activation.js";

const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/**
 * @internal The activation φ and its first two derivatives as tfjs ops of the **input** z — never of a saved
 * output — so no tfjs gradient of sigmoid/exp/tanh is ever differentiated (those are wrong or throw at second
 * order, see the package README). β is passed as a scalar tensor (data), so a new β rebuilds nothing.
 */
export interface TfjsActivationOps {
  value(z: tf.Tensor): tf.Tensor;
  /** φ′(z). */
  slope(z: tf.Tensor): tf.Tensor;
  /** φ″(z). */
  curvature(z: tf.Tensor): tf.Tensor;
}

/** @internal Ops for `activation`; `beta` is a scalar tensor (unused for ReLU and GELU). Call inside `tf.tidy`. */
export function activationOps(activation: ModelActivation, beta: tf.Scalar): TfjsActivationOps {
  switch (activation.name) {
    case "relu":
      return {
        value: (z) => tf.relu(z),
        slope: (z) => tf.step(z, 0), // ReLU′(0) = 0, as tfjs's own ReLU gradient
        curvature: (z) => tf.zerosLike(z),
      };
    case "softplus":
      return {
        value: (z) => tf.div(tf.softplus(tf.mul(z, beta)), beta),
        slope: (z) => tf.sigmoid(tf.mul(z, beta)),
        // β·σ(βz)·σ(−βz): no cancellation in 1 − σ for large βz
        curvature: (z) => {
          const bz = tf.mul(z, beta);
          return tf.mul(beta, tf.mul(tf.sigmoid(bz), tf.sigmoid(tf.neg(bz))));
        },
      };
    case "swish":
      return {
        value: (z) => tf.mul(z, tf.sigmoid(tf.mul(z, beta))),
        // σ + βz·σ·σ̄ with σ̄ = σ(−βz) = 1 − σ
        slope: (z) => {
          const bz = tf.mul(z, beta);
          const s = tf.sigmoid(bz);
          return tf.mul(s, tf.add(1, tf.mul(bz, tf.sigmoid(tf.neg(bz)))));
        },
        // β·σ·σ̄·(2 + βz·(σ̄ − σ))
        curvature: (z) => {
          const bz = tf.mul(z, beta);
          const s = tf.sigmoid(bz);
          const sbar = tf.sigmoid(tf.neg(bz));
          return tf.mul(tf.mul(beta, tf.mul(s, sbar)), tf.add(2, tf.mul(bz, tf.sub(sbar, s))));
        },
      };
    case "gelu": {
      const cdf = (z: tf.Tensor) => tf.mul(tf.add(tf.erf(tf.mul(z, SQRT1_2)), 1), 0.5);
      const pdf = (z: tf.Tensor) => tf.mul(tf.exp(tf.mul(tf.square(z), -0.5)), INV_SQRT_2PI);
      return {
        value: (z) => tf.mul(z, cdf(z)),
        slope: (z) => tf.add(cdf(z), tf.mul(z, pdf(z))),
        curvature: (z) => tf.mul(pdf(z), tf.sub(2, tf.square(z))),
      };
    }
  }
}

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

import * as tf from "@tensorflow/tfjs-core";
import { InvalidArgumentError, checkPositive } from "@smoothhess/errors";

/**
 * Which activation a network is evaluated with. Structurally the `Activation` objects of `@smoothhess/oracle`
 * (`relu`, `softplus(β)`, `swish(β)`, `gelu()`) — pass those, or a plain `{ name: "softplus", beta: 10 }`.
 *
 * - `relu`: max(0, x)
 * - `softplus`: SoftPlus_β(x) = log(1 + e^{βx}) / β
 * - `swish`: Swish_β(x) = x · sigmoid(βx)
 * - `gelu`: x · Φ(x) with the exact normal CDF
 */
export interface ActivationSpec {
  /** `"relu"`, `"softplus"`, `"swish"` or `"gelu"`. */
  readonly name: "relu" | "softplus" | "swish" | "gelu";
  /** β of SoftPlus_β and Swish_β (required for those two, ignored otherwise). */
  readonly beta?: number;
}

/** The default activation: ReLU. */
export const RELU: ActivationSpec = Object.freeze({ name: "relu" });

/**
 * Validate an activation; returns a plain `{ name, beta? }` copy (safe to send to a worker or to JSON).
 * @throws {@link InvalidArgumentError} naming `argument` for an unknown name or a missing / non-positive β.
 */
export function checkActivation(argument: string, activation: unknown): ActivationSpec {
  const a = activation as ActivationSpec | null | undefined;
  const name = a?.name;
  if (name === "relu" || name === "gelu") return { name };
  if (name === "softplus" || name === "swish") {
    return { name, beta: checkPositive(`${argument}.beta`, a?.beta) };
  }
  throw new InvalidArgumentError(argument, '{ name: "relu" | "softplus" | "swish" | "gelu", beta? }', activation);
}

const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/**
 * An activation φ and its first two derivatives as tfjs ops of the **input** z — never of a saved output — so no
 * tfjs gradient of sigmoid/exp/tanh is ever differentiated (those are wrong or throw at second order; see the
 * README of `@smoothhess/surrogates`). Every tfjs path of the workspace (the networks' forward passes, the fast
 * backward pass, the surrogate Hessians) takes its formulas from here.
 */
export interface TfjsActivationOps {
  /** φ(z). */
  value(z: tf.Tensor): tf.Tensor;
  /** φ′(z); ReLU′(0) = 0, as tfjs's own ReLU gradient. */
  slope(z: tf.Tensor): tf.Tensor;
  /** φ″(z). */
  curvature(z: tf.Tensor): tf.Tensor;
}

/**
 * The ops of `activation` (a checked {@link ActivationSpec}). `beta` overrides `activation.beta` and may be a scalar
 * tensor, so that a compiled program takes β as data and a new β rebuilds nothing (unused for ReLU and GELU).
 * Call the ops inside `tf.tidy`.
 *
 * - SoftPlus_β: `tf.softplus(βz)/β`, φ′ = σ(βz), φ″ = β·σ(βz)·σ(−βz) (no cancellation in 1 − σ for large βz);
 * - Swish_β: z·σ(βz), φ′ = σ·(1 + βz·σ̄), φ″ = β·σ·σ̄·(2 + βz·(σ̄ − σ)) with σ̄ = σ(−βz);
 * - GELU: z·Φ(z), φ′ = Φ + z·ϕ, φ″ = ϕ·(2 − z²) with the exact normal CDF Φ and density ϕ.
 */
export function activationOps(activation: ActivationSpec, beta: number | tf.Scalar = activation.beta ?? 1): TfjsActivationOps {
  switch (activation.name) {
    case "relu":
      return {
        value: (z) => tf.relu(z),
        slope: (z) => tf.step(z, 0),
        curvature: (z) => tf.zerosLike(z),
      };
    case "softplus":
      return {
        value: (z) => tf.div(tf.softplus(tf.mul(z, beta)), beta),
        slope: (z) => tf.sigmoid(tf.mul(z, beta)),
        curvature: (z) => {
          const bz = tf.mul(z, beta);
          return tf.mul(beta, tf.mul(tf.sigmoid(bz), tf.sigmoid(tf.neg(bz))));
        },
      };
    case "swish":
      return {
        value: (z) => tf.mul(z, tf.sigmoid(tf.mul(z, beta))),
        slope: (z) => {
          const bz = tf.mul(z, beta);
          const s = tf.sigmoid(bz);
          return tf.mul(s, tf.add(1, tf.mul(bz, tf.sigmoid(tf.neg(bz)))));
        },
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
 * Apply the activation elementwise with tfjs ops ({@link activationOps}' `value`). SoftPlus uses `tf.softplus`,
 * whose autodiff is correct to second order; Swish uses `tf.sigmoid`, whose *second* derivative tfjs autodiff does
 * not support.
 */
export function applyActivation(z: tf.Tensor, activation: ActivationSpec): tf.Tensor {
  return activationOps(activation).value(z);
}

/**
 * The activation's derivative φ′(z), elementwise ({@link activationOps}' `slope`). ReLU′(0) = 0, as in tfjs's own
 * ReLU gradient. Used by the hand-written backward pass of the fast MLP path.
 */
export function activationDerivative(z: tf.Tensor, activation: ActivationSpec): tf.Tensor {
  return activationOps(activation).slope(z);
}

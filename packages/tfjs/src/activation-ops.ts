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
 * Apply the activation elementwise with tfjs ops. SoftPlus uses `tf.softplus` (whose autodiff is correct to
 * second order, see NOTES); Swish uses `tf.sigmoid`, whose *second* derivative tfjs autodiff does not support.
 */
export function applyActivation(z: tf.Tensor, activation: ActivationSpec): tf.Tensor {
  switch (activation.name) {
    case "relu":
      return tf.relu(z);
    case "softplus": {
      const beta = activation.beta as number;
      return tf.div(tf.softplus(tf.mul(z, beta)), beta);
    }
    case "swish":
      return tf.mul(z, tf.sigmoid(tf.mul(z, activation.beta as number)));
    case "gelu":
      return tf.mul(tf.mul(z, 0.5), tf.add(tf.erf(tf.mul(z, SQRT1_2)), 1));
  }
}

/**
 * The activation's derivative φ′(z), elementwise. ReLU′(0) = 0, as in tfjs's own ReLU gradient.
 * Used by the hand-written backward pass of the fast MLP path.
 */
export function activationDerivative(z: tf.Tensor, activation: ActivationSpec): tf.Tensor {
  switch (activation.name) {
    case "relu":
      return tf.step(z, 0);
    case "softplus":
      return tf.sigmoid(tf.mul(z, activation.beta as number));
    case "swish": {
      const beta = activation.beta as number;
      const s = tf.sigmoid(tf.mul(z, beta));
      return tf.add(s, tf.mul(tf.mul(z, beta), tf.mul(s, tf.sub(1, s))));
    }
    case "gelu": {
      const cdf = tf.mul(tf.add(tf.erf(tf.mul(z, SQRT1_2)), 1), 0.5);
      const pdf = tf.mul(tf.exp(tf.mul(tf.square(z), -0.5)), INV_SQRT_2PI);
      return tf.add(cdf, tf.mul(z, pdf));
    }
  }
}

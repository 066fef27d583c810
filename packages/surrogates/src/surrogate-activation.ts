import { InvalidArgumentError, checkPositive } from "@smoothhess/errors";
import { gelu, relu, softplus, swish, type Activation } from "@smoothhess/oracle";

/**
 * The smooth activation that replaces every ReLU (paper Sec. 3 "SoftPlus", App. F "Swish"):
 * - `{ name: "softplus", beta }`: SoftPlus_β(x) = log(1 + e^{βx}) / β;
 * - `{ name: "swish", beta }`: Swish_β(x) = x · sigmoid(βx);
 * - `{ name: "gelu" }`: x · Φ(x) with the exact normal CDF.
 *
 * Both SoftPlus_β and Swish_β approach ReLU as β → ∞. The `Activation` objects of `@smoothhess/oracle`
 * (`softplus(10)`, `swish(5)`, `gelu()`) have this shape and can be passed as they are.
 */
export type SurrogateActivation =
  | { readonly name: "softplus" | "swish"; readonly beta: number }
  | { readonly name: "gelu" };

/**
 * What `surrogate()` accepts: a {@link SurrogateActivation}, or an `Activation` object of `@smoothhess/oracle`
 * (`softplus(10)`, `swish(5)`, `gelu()`; `relu` is rejected at run time).
 */
export type SurrogateActivationInput = SurrogateActivation | Activation;

/** The activation a model is evaluated with: a {@link SurrogateActivation} or the network's own ReLU. */
export type ModelActivation = SurrogateActivation | { readonly name: "relu" };

/**
 * Check a {@link SurrogateActivation}; returns a plain frozen copy `{ name, beta? }`.
 * @throws {@link InvalidArgumentError} naming `argument.name` for an unknown name (ReLU included: the ReLU network
 *   is the `original` model, not a surrogate) and `argument.beta` for a β that is not a finite number > 0.
 */
export function checkSurrogateActivation(argument: string, activation: unknown): SurrogateActivation {
  const a = activation as { name?: unknown; beta?: unknown } | null | undefined;
  if (typeof a !== "object" || a === null) {
    throw new InvalidArgumentError(argument, '{ name: "softplus" | "swish", beta } or { name: "gelu" }', activation);
  }
  const name = a.name;
  if (name === "softplus" || name === "swish") {
    return Object.freeze({ name, beta: checkPositive(`${argument}.beta`, a.beta) });
  }
  if (name === "gelu") return Object.freeze({ name });
  throw new InvalidArgumentError(`${argument}.name`, '"softplus", "swish" or "gelu"', name);
}

/**
 * The float64 `Activation` (value, first and second derivative) of `@smoothhess/oracle` for a model activation.
 * @internal
 */
export function toReferenceActivation(activation: ModelActivation): Activation {
  switch (activation.name) {
    case "relu":
      return relu;
    case "softplus":
      return softplus(activation.beta);
    case "swish":
      return swish(activation.beta);
    case "gelu":
      return gelu();
  }
}

/** Short label such as `softplus(β=10)`, for messages and tables. */
export function activationLabel(activation: { readonly name: string; readonly beta?: number }): string {
  return activation.beta === undefined ? activation.name : `${activation.name}(β=${activation.beta})`;
}

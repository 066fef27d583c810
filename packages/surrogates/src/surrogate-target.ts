import { InvalidArgumentError, checkInteger } from "@smoothhess/errors";

/**
 * Which scalar function of the network is differentiated (paper Sec. 5 and CASO Prop. 1):
 * - `{ output: k }`: logit k;
 * - `{ softmax: k }`: the SoftMax probability of class k (computed from the logits shifted by the class's, so a
 *   confident prediction keeps its gradient and Hessian to full relative precision and nothing
 *   overflows; see `headDerivatives`);
 * - `{ crossEntropy: y }`: the cross-entropy loss −log softmax(logits)_y of label y (computed from the logits shifted
 *   by the label's, so a confident prediction keeps its tiny loss, gradient and Hessian to full relative precision
 *   and nothing overflows; see `headDerivatives`);
 * - `{ layer: l, unit: i }`: the pre-activation of unit i of hidden layer l (1-based; `l = L`, the last hidden layer,
 *   is the paper's "penultimate neuron").
 *
 * All four have the same shape as `NetworkTarget` of `@smoothhess/oracle` (whose `networkOracle` gives the first-order
 * oracle of each, `{ crossEntropy: y }` included) and as the targets of `tfjsOracle` of `@smoothhess/tfjs`.
 */
export type SurrogateTarget =
  | { readonly output: number }
  | { readonly softmax: number }
  | { readonly crossEntropy: number }
  | { readonly layer: number; readonly unit: number };

/** How the target reads the network: a function of the logits, or one hidden pre-activation. */
export type ResolvedSurrogateTarget =
  | { readonly kind: "logit" | "softmax" | "crossEntropy"; readonly unit: number }
  | { readonly kind: "neuron"; readonly layer: number; readonly unit: number };

/** The sizes a target is checked against. */
export interface TargetShape {
  /** Number of logits. */
  readonly outputDim: number;
  /** Units of hidden layer l at index l − 1. */
  readonly hiddenSizes: readonly number[];
}

/**
 * Check a {@link SurrogateTarget} against a network's sizes. The neuron's `layer` comes back 0-based.
 * @throws {@link InvalidArgumentError} naming the field that is out of range (`target.output`, `target.layer`, …).
 */
export function resolveSurrogateTarget(shape: TargetShape, target: unknown, argument = "target"): ResolvedSurrogateTarget {
  const t = target as Record<string, unknown> | null | undefined;
  if (t && typeof t === "object") {
    const last = shape.outputDim - 1;
    if ("output" in t) return { kind: "logit", unit: checkInteger(`${argument}.output`, t.output, 0, last) };
    if ("softmax" in t) return { kind: "softmax", unit: checkInteger(`${argument}.softmax`, t.softmax, 0, last) };
    if ("crossEntropy" in t) {
      return { kind: "crossEntropy", unit: checkInteger(`${argument}.crossEntropy`, t.crossEntropy, 0, last) };
    }
    if ("layer" in t || "unit" in t) {
      if (shape.hiddenSizes.length === 0) {
        throw new InvalidArgumentError(`${argument}.layer`, "a hidden layer, but the network has none", t.layer);
      }
      const layer = checkInteger(`${argument}.layer`, t.layer, 1, shape.hiddenSizes.length);
      const unit = checkInteger(`${argument}.unit`, t.unit, 0, shape.hiddenSizes[layer - 1] - 1);
      return { kind: "neuron", layer: layer - 1, unit };
    }
  }
  throw new InvalidArgumentError(argument, "{ output } | { softmax } | { crossEntropy } | { layer, unit }", target);
}

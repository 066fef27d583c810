import { InvalidArgumentError, checkInteger } from "@smoothhess/errors";
import type { DenseNetwork } from "./dense-network.js";

/**
 * Which scalar function of a network an oracle explains (paper Sec. 3):
 * - `{ output: k }`: logit k;
 * - `{ softmax: k }`: the SoftMax probability of class k;
 * - `{ crossEntropy: y }`: the cross-entropy loss `−log softmax(f(x))_y` of label y (the loss that CASO/CAFO and
 *   SmoothCASO explain; the same target as `{ crossEntropy: y }` of `@smoothhess/surrogates`);
 * - `{ layer: l, unit: i }`: the pre-activation f⁽ˡ⁾ᵢ of hidden layer l (1-based as in the paper; the "penultimate
 *   neuron" is `layer = L`, the last hidden layer).
 */
export type NetworkTarget =
  | { readonly output: number }
  | { readonly softmax: number }
  | { readonly crossEntropy: number }
  | { readonly layer: number; readonly unit: number };

/** Resolved target: the 0-based layer index whose pre-activation vector is read, and how. */
export interface ResolvedTarget {
  readonly layerIndex: number;
  /** The unit read: class k, label y or hidden unit i. */
  readonly unit: number;
  readonly softmax: boolean;
  /** The cross-entropy loss of label `unit` (absent or false for the other targets). */
  readonly crossEntropy?: boolean;
}

/**
 * Validate a {@link NetworkTarget} against a network; typed errors name the field that is out of range.
 * @throws {@link InvalidArgumentError} naming `target.output`, `target.softmax`, `target.crossEntropy` (a label that is
 *   not an integer in `[0, classes)`), `target.layer` or `target.unit`, or `target` itself for an unknown shape.
 */
export function resolveTarget(network: DenseNetwork, target: NetworkTarget, argument = "target"): ResolvedTarget {
  const last = network.layers.length - 1;
  if (target && "output" in target) {
    return { layerIndex: last, unit: checkInteger(`${argument}.output`, target.output, 0, network.outputDim - 1), softmax: false };
  }
  if (target && "softmax" in target) {
    return { layerIndex: last, unit: checkInteger(`${argument}.softmax`, target.softmax, 0, network.outputDim - 1), softmax: true };
  }
  if (target && "crossEntropy" in target) {
    const unit = checkInteger(`${argument}.crossEntropy`, target.crossEntropy, 0, network.outputDim - 1);
    return { layerIndex: last, unit, softmax: false, crossEntropy: true };
  }
  if (target && "layer" in target && "unit" in target) {
    const layer = checkInteger(`${argument}.layer`, target.layer, 1, last);
    const unit = checkInteger(`${argument}.unit`, target.unit, 0, network.layers[layer - 1].outputs - 1);
    return { layerIndex: layer - 1, unit, softmax: false };
  }
  throw new InvalidArgumentError(argument, "{ output } | { softmax } | { crossEntropy } | { layer, unit }", target);
}

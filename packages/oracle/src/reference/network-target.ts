import { InvalidArgumentError, checkInteger } from "@smoothhess/errors";
import type { DenseNetwork } from "./dense-network.js";

/**
 * Which scalar function of a network an oracle explains (paper Sec. 3):
 * - `{ output: k }`: logit k;
 * - `{ softmax: k }`: the SoftMax probability of class k;
 * - `{ layer: l, unit: i }`: the pre-activation f⁽ˡ⁾ᵢ of hidden layer l (1-based as in the paper; the "penultimate
 *   neuron" is `layer = L`, the last hidden layer).
 */
export type NetworkTarget =
  | { readonly output: number }
  | { readonly softmax: number }
  | { readonly layer: number; readonly unit: number };

/** Resolved target: the 0-based layer index whose pre-activation vector is read, and how. */
export interface ResolvedTarget {
  readonly layerIndex: number;
  readonly unit: number;
  readonly softmax: boolean;
}

/** Validate a {@link NetworkTarget} against a network; typed errors name the field that is out of range. */
export function resolveTarget(network: DenseNetwork, target: NetworkTarget, argument = "target"): ResolvedTarget {
  const last = network.layers.length - 1;
  if (target && "output" in target) {
    return { layerIndex: last, unit: checkInteger(`${argument}.output`, target.output, 0, network.outputDim - 1), softmax: false };
  }
  if (target && "softmax" in target) {
    return { layerIndex: last, unit: checkInteger(`${argument}.softmax`, target.softmax, 0, network.outputDim - 1), softmax: true };
  }
  if (target && "layer" in target && "unit" in target) {
    const layer = checkInteger(`${argument}.layer`, target.layer, 1, last);
    const unit = checkInteger(`${argument}.unit`, target.unit, 0, network.layers[layer - 1].outputs - 1);
    return { layerIndex: layer - 1, unit, softmax: false };
  }
  throw new InvalidArgumentError(argument, "{ output } | { softmax } | { layer, unit }", target);
}

import { InvalidArgumentError, checkInteger } from "@smoothhess/errors";
import type { OnnxModel } from "../onnx-model.js";

/**
 * The targets of exact second-order questions, in the shape of `SurrogateTarget` (`@smoothhess/surrogates`):
 * logit `{ output: k }`, SoftMax probability `{ softmax: k }`, cross-entropy `{ crossEntropy: y }`, and the
 * pre-activation `{ layer: l, unit: i }` of hidden layer l (1-based; the input of the l-th activation node).
 */
export type SecondOrderTarget =
  | { readonly output: number }
  | { readonly softmax: number }
  | { readonly crossEntropy: number }
  | { readonly layer: number; readonly unit: number };

/** A {@link SecondOrderTarget} resolved against a model: the tensor read, the head and the unit. */
export interface ResolvedSecondOrderTarget {
  readonly kind: "logit" | "softmax" | "crossEntropy" | "unit";
  readonly tensor: string;
  readonly unit: number;
}

/**
 * Check a {@link SecondOrderTarget} against `model`.
 * @throws {@link InvalidArgumentError} naming the field out of range (`target.output`, `target.layer`, …).
 */
export function resolveSecondOrderTarget(model: OnnxModel, target: unknown, argument = "target"): ResolvedSecondOrderTarget {
  const t = target as Record<string, unknown> | null | undefined;
  if (t && typeof t === "object") {
    const last = model.outputSize - 1;
    if ("output" in t) return { kind: "logit", tensor: model.outputName, unit: checkInteger(`${argument}.output`, t.output, 0, last) };
    if ("softmax" in t) return { kind: "softmax", tensor: model.outputName, unit: checkInteger(`${argument}.softmax`, t.softmax, 0, last) };
    if ("crossEntropy" in t) {
      return { kind: "crossEntropy", tensor: model.outputName, unit: checkInteger(`${argument}.crossEntropy`, t.crossEntropy, 0, last) };
    }
    if ("layer" in t || "unit" in t) {
      if (model.hiddenTensors.length === 0) throw new InvalidArgumentError(`${argument}.layer`, "a hidden layer, but the model has none", t.layer);
      const layer = checkInteger(`${argument}.layer`, t.layer, 1, model.hiddenTensors.length);
      const tensor = model.hiddenTensors[layer - 1];
      const size = model.shapes.shape(tensor).slice(1).reduce((a, b) => a * b, 1);
      return { kind: "unit", tensor, unit: checkInteger(`${argument}.unit`, t.unit, 0, size - 1) };
    }
  }
  throw new InvalidArgumentError(argument, "{ output } | { softmax } | { crossEntropy } | { layer, unit }", target);
}

/**
 * What scalar function of the model an explanation is about. The same shapes as the backends' targets, without the
 * anchor point: `"predicted"` means the class the model predicts at each explained input (fixed per input).
 *
 * - `{ output: k | "predicted" }`: a logit (the default is `{ output: "predicted" }`, as in the paper);
 * - `{ softmax: k | "predicted" }`: a SoftMax probability;
 * - `{ crossEntropy: y | "predicted" }`: the cross-entropy loss of label y;
 * - `{ layer, unit }`: a hidden unit's pre-activation (1-based layer; models whose layers the backend sees);
 * - `{ fn }`: any function of the output batch (tfjs models and functions only; tfjs ops).
 */
export type ExplainTarget =
  | { readonly output: number | "predicted" }
  | { readonly softmax: number | "predicted" }
  | { readonly crossEntropy: number | "predicted" }
  | { readonly layer: number; readonly unit: number }
  | { readonly fn: (output: never) => unknown };

/** The default target: the logit of the class predicted at the input. */
export const DEFAULT_TARGET: ExplainTarget = Object.freeze({ output: "predicted" as const });

/** A short text naming the target, e.g. `logit of class 7 (predicted)`. */
export function describeTarget(target: ExplainTarget, resolvedClass?: number): string {
  const t = target as Record<string, unknown>;
  const cls = (value: unknown) => (value === "predicted" ? `class ${resolvedClass ?? "?"} (predicted)` : `class ${String(value)}`);
  if ("output" in t) return `logit of ${cls(t.output)}`;
  if ("softmax" in t) return `SoftMax probability of ${cls(t.softmax)}`;
  if ("crossEntropy" in t) return `cross-entropy loss of label ${t.crossEntropy === "predicted" ? `${resolvedClass ?? "?"} (predicted)` : String(t.crossEntropy)}`;
  if ("layer" in t) return `pre-activation of unit ${String(t.unit)} of hidden layer ${String(t.layer)}`;
  return "a function of the output";
}

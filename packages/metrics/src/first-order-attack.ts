import { checkFiniteArray } from "@smoothhess/errors";
import { type AttackResult, type AttackSpec, applyStep, checkAttackSpec } from "./attack-result.js";
import { dot, norm2, projectIntoBall } from "./vector-math.js";

/** Arguments of {@link firstOrderAttack}. */
export interface FirstOrderAttackSpec extends AttackSpec {
  /** `G̃`, the explainer's gradient of the predicted-class SoftMax probability at `x₀` (e.g. SmoothGrad), length `d`. */
  readonly gradient: ArrayLike<number>;
}

/** What {@link firstOrderAttack} returns. */
export interface FirstOrderAttackResult extends AttackResult {
  /** The first-order Taylor model's predicted change `G̃ᵀδ` (`−ε‖G̃‖` before clipping). */
  readonly taylorChange: number;
}

/**
 * The first-order Taylor attack of paper Sec. 5.1: `δ = −ε·G̃/‖G̃‖₂`, the minimiser of the first-order model
 * `f(x₀) + G̃ᵀδ` over the ball `‖δ‖ ≤ ε`. With `G̃ = 0` there is no descent direction and `δ = 0`.
 *
 * @throws {@link InvalidArgumentError} / {@link DimensionMismatchError} for a non-finite or mismatched `gradient`
 *   or `x0`, `radius ≤ 0`, or a bad `clip` (or `x0` outside it).
 *
 * @example
 * ```ts
 * const { point } = firstOrderAttack({ x0, gradient: smoothGradient, radius: 0.5 });
 * ```
 */
export function firstOrderAttack(spec: FirstOrderAttackSpec): FirstOrderAttackResult {
  const gradient = checkFiniteArray("spec.gradient", spec?.gradient);
  const { x0, radius, clip } = checkAttackSpec(spec, gradient.length);
  const d = x0.length;
  const length = norm2(gradient);
  const step = new Float64Array(d);
  if (length > 0) {
    const f = -radius / length;
    for (let j = 0; j < d; j++) step[j] = f * gradient[j];
    projectIntoBall(step, radius);
  }
  const result = applyStep(x0, step, clip);
  return { ...result, taylorChange: dot(gradient, result.step) };
}

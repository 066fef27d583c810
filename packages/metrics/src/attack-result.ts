import {
  DimensionMismatchError,
  InvalidArgumentError,
  checkFiniteArray,
  checkPositive,
  described,
} from "@smoothhess/errors";

/**
 * The valid range of every input feature (e.g. `{ min: 0, max: 1 }` for MNIST pixels). When an attack is given
 * one, the attacked point is clipped into it coordinate-wise. Off by default, as in the paper.
 */
export interface DataRange {
  /** Smallest valid feature value. */
  readonly min: number;
  /** Largest valid feature value (`≥ min`). */
  readonly max: number;
}

/** Arguments every attack takes. */
export interface AttackSpec {
  /** The point to attack `x₀`, length `d`. */
  readonly x0: ArrayLike<number>;
  /** The attack magnitude `ε > 0`: the attacked point stays in the closed ball `‖Δ* − x₀‖₂ ≤ ε`. */
  readonly radius: number;
  /**
   * Clip the attacked point into this range (default: no clipping, as in the paper). `x₀` must lie in it; clipping
   * then only moves coordinates back towards `x₀`, so the point stays in the ball.
   */
  readonly clip?: DataRange;
}

/** What every attack returns. */
export interface AttackResult {
  /** The attacked input `Δ* = x₀ + δ` (clipped when `clip` was given). */
  readonly point: Float64Array;
  /** The attack vector `δ = Δ* − x₀` as applied (after clipping), `‖δ‖₂ ≤ ε`. */
  readonly step: Float64Array;
}

/**
 * Check `x0`, `radius` and `clip` of an {@link AttackSpec}; `d` is the expected length when known.
 * @internal
 */
export function checkAttackSpec(spec: AttackSpec, d?: number): { x0: Float64Array; radius: number; clip?: DataRange } {
  if (typeof spec !== "object" || spec === null) throw new InvalidArgumentError("spec", "an attack specification object", spec);
  if (d !== undefined && spec.x0 && typeof spec.x0.length === "number" && spec.x0.length !== d) {
    throw new DimensionMismatchError("spec.x0", `length ${d} (the length of the gradient)`, described(`length ${spec.x0.length}`));
  }
  const x0 = Float64Array.from(checkFiniteArray("spec.x0", spec.x0, d));
  if (x0.length === 0) throw new InvalidArgumentError("spec.x0", "a non-empty array", described("length 0"));
  const radius = checkPositive("spec.radius", spec.radius);
  if (spec.clip === undefined) return { x0, radius };
  const clip = spec.clip;
  if (typeof clip !== "object" || clip === null) throw new InvalidArgumentError("spec.clip", "a range { min, max }", clip);
  const { min, max } = clip;
  if (typeof min !== "number" || typeof max !== "number" || !Number.isFinite(min) || !Number.isFinite(max) || min > max) {
    throw new InvalidArgumentError("spec.clip", "a range { min, max } of finite numbers with min ≤ max", described(`{ min: ${clip.min}, max: ${clip.max} }`));
  }
  for (let j = 0; j < x0.length; j++) {
    if (x0[j] < min || x0[j] > max) {
      throw new InvalidArgumentError("spec.x0", `every feature inside spec.clip = [${min}, ${max}]`, described(`x0[${j}] = ${x0[j]}`));
    }
  }
  return { x0, radius, clip: { min, max } };
}

/**
 * Apply `step` to `x0`, clipping into `clip` when given; returns the point and the step as applied.
 * @internal
 */
export function applyStep(x0: Float64Array, step: Float64Array, clip?: DataRange): AttackResult {
  const point = new Float64Array(x0.length);
  for (let j = 0; j < x0.length; j++) {
    let v = x0[j] + step[j];
    if (clip) v = Math.min(clip.max, Math.max(clip.min, v));
    point[j] = v;
  }
  if (!clip) return { point, step };
  const applied = new Float64Array(x0.length);
  for (let j = 0; j < x0.length; j++) applied[j] = point[j] - x0[j];
  return { point, step: applied };
}

import { checkInteger } from "@smoothhess/errors";
import { gaussianSampler } from "@smoothhess/random";
import { type AttackResult, type AttackSpec, applyStep, checkAttackSpec } from "./attack-result.js";
import { projectIntoBall } from "./vector-math.js";

/** Arguments of {@link randomAttack}. */
export interface RandomAttackSpec extends AttackSpec {
  /** Seed of the direction (default 0); use `deriveSeed(seed, pointIndex)` for one stream per attacked point. */
  readonly seed?: number;
}

/**
 * The random baseline of paper Sec. 5.1 (the "Random" row of Table 2): a direction uniform on the sphere
 * (a normalised standard normal vector from `gaussianSampler(seed)`) scaled to the attack magnitude, `‖δ‖ = ε`.
 *
 * @throws {@link InvalidArgumentError} for a non-finite or empty `x0`, `radius ≤ 0`, a bad `seed` or `clip`.
 */
export function randomAttack(spec: RandomAttackSpec): AttackResult {
  const { x0, radius, clip } = checkAttackSpec(spec);
  const seed = checkInteger("spec.seed", spec.seed ?? 0, -(2 ** 31), 2 ** 32 - 1);
  const rng = gaussianSampler(seed);
  const d = x0.length;
  const step = new Float64Array(d);
  let s = 0;
  while (s === 0) {
    rng.fillNormal(step);
    s = 0;
    for (let j = 0; j < d; j++) s += step[j] * step[j];
  }
  const f = radius / Math.sqrt(s);
  for (let j = 0; j < d; j++) step[j] *= f;
  projectIntoBall(step, radius);
  return applyStep(x0, step, clip);
}

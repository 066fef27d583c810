import { checkPositive } from "@smoothhess/errors";
import { threeSigmaRule } from "@smoothhess/metrics";

/** The paper's smallest P_MSE radius for inputs in [0, 1] (Table 1, Fig. 6): the default ε per unit of input range. */
export const DEFAULT_EPSILON_PER_RANGE = 0.25;

/** How the smoothing scale of an explanation was chosen. */
export interface SigmaChoice {
  /** Standard deviation σ of the isotropic Gaussian (Σ = σ²I). */
  readonly sigma: number;
  /** The neighbourhood radius ε the rule was applied to (absent when σ was given). */
  readonly epsilon?: number;
  /** One line saying how σ was chosen, printed with the result. */
  readonly rule: string;
}

/**
 * The default smoothing scale: the paper's three-σ rule (Sec. 5.1, App. E.2.1; `threeSigmaRule` of
 * `@smoothhess/metrics`) at radius ε, taking its largest candidate `σ = ε/√d` (the least Monte-Carlo noise of the
 * three; a Gaussian of that σ in d dimensions concentrates on the sphere of radius ε).
 *
 * ε defaults to 0.25 × the input's range (`max x − min x`; 1 when x is constant): for pixels in [0, 1] that is the
 * paper's ε = 0.25 of Table 1 and Fig. 6, and it scales with inputs in other units. Given σ wins; given ε replaces the
 * default radius.
 *
 * @throws `InvalidArgumentError` for a σ or ε that is not a positive finite number.
 */
export function chooseSigma(x: ArrayLike<number>, options: { sigma?: number; epsilon?: number } = {}): SigmaChoice {
  if (options.sigma !== undefined) {
    const sigma = checkPositive("options.sigma", options.sigma);
    return { sigma, rule: `σ = ${format(sigma)} (given)` };
  }
  const d = x.length;
  let epsilon: number;
  let source: string;
  if (options.epsilon !== undefined) {
    epsilon = checkPositive("options.epsilon", options.epsilon);
    source = "given";
  } else {
    let lo = Infinity, hi = -Infinity;
    for (let i = 0; i < d; i++) {
      lo = Math.min(lo, x[i]);
      hi = Math.max(hi, x[i]);
    }
    const range = hi > lo ? hi - lo : 1;
    epsilon = DEFAULT_EPSILON_PER_RANGE * range;
    source = `${DEFAULT_EPSILON_PER_RANGE} × input range ${format(range)}`;
  }
  const sigma = threeSigmaRule(epsilon, d)[2];
  return { sigma, epsilon, rule: `σ = ε/√d = ${format(sigma)} (three-σ rule, paper Sec. 5.1; ε = ${format(epsilon)}: ${source}; d = ${d})` };
}

function format(v: number): string {
  return Number(v.toPrecision(4)).toString();
}

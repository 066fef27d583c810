import { InvalidArgumentError, checkPositive } from "@smoothhess/errors";

/**
 * The CASO paper's rule for the L2 weight (Sec. 3.1): `λ₂ = L/2 + c₁`, with `L` the largest eigenvalue of the loss
 * Hessian. By their Theorem 3 any `λ₂ > L/2` makes the CASO objective strongly concave; the margin `c₁ > 0` (10 in
 * the paper, for CASO and CAFO alike) absorbs error in `L` without overpowering the Hessian. A negative `L` (a negative-definite
 * Hessian, possible for a smoothed loss) is treated as 0, so that `λ₂ ≥ c₁ > 0`.
 *
 * @param largestEigenvalue - `L`.
 * @param margin - `c₁ > 0` (default 10).
 * @throws {@link InvalidArgumentError} for a non-finite `L` or `c₁ ≤ 0`.
 */
export function casoLambda2(largestEigenvalue: number, margin = 10): number {
  if (typeof largestEigenvalue !== "number" || !Number.isFinite(largestEigenvalue)) {
    throw new InvalidArgumentError("largestEigenvalue", "a finite number", largestEigenvalue);
  }
  checkPositive("margin", margin);
  return Math.max(largestEigenvalue, 0) / 2 + margin;
}

/**
 * `λ₂` from the options or from the paper's rule; checks Theorem 3's condition `λ₂ > L/2` when `L` is known.
 * @internal
 */
export function resolveLambda2(options: { lambda2?: number; margin?: number }, largestEigenvalue: number | undefined, method: string): number {
  if (options.lambda2 === undefined) {
    if (largestEigenvalue === undefined) {
      throw new InvalidArgumentError(
        "options.lambda2",
        `a number > 0 (or give loss.hessian or loss.largestEigenvalue so that ${method} sets λ₂ = L/2 + margin)`,
        undefined,
      );
    }
    return casoLambda2(largestEigenvalue, options.margin ?? 10);
  }
  const lambda2 = checkPositive("options.lambda2", options.lambda2);
  if (largestEigenvalue !== undefined && !(2 * lambda2 > largestEigenvalue)) {
    throw new InvalidArgumentError(
      "options.lambda2",
      `a number > L/2 = ${largestEigenvalue / 2} (Theorem 3: otherwise the ${method} objective is not strongly concave)`,
      lambda2,
    );
  }
  return lambda2;
}

/** `λ₁ ≥ 0` from the options (default 0). @internal */
export function resolveLambda1(value: unknown): number {
  if (value === undefined) return 0;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new InvalidArgumentError("options.lambda1", "a finite number ≥ 0", value);
  }
  return value;
}

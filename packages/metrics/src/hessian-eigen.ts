import { DimensionMismatchError, InvalidArgumentError, checkFiniteArray, checkInteger, described } from "@smoothhess/errors";
import { type SymmetricEigen, eigenFromFactors, symmetricEigen } from "@smoothhess/linalg";
import { type HessianInput, resolveHessian } from "./hessian-input.js";

/**
 * All eigenpairs of a Hessian, sorted by `|λ|` descending (the order of paper App. D.1 and of the reduced attack):
 * a dense matrix by `symmetricEigen` (`O(d³)`: seconds at d = 784), a `FactoredHessian` `scale·sym(AᵀB)` by
 * `eigenFromFactors` (`O(d·m²)`, never forming `d×d`; the `min(d, 2m)` pairs it returns carry the whole matrix).
 *
 * Compute it once per explained point and pass it as `eigen` to {@link secondOrderAttack} for every attack radius
 * and method: the decomposition is the expensive part, the trust-region solve on top of it costs `O(d·k)`.
 *
 * An operator with an `eigen()` method (the surrogates package's `LowRankHessian` `W M Wᵀ`, whose pairs come from the
 * small `r×r` factor in `O(d·r²)`) is asked for its pairs.
 *
 * @param hessian - a dense row-major symmetric `d×d` matrix, a `FactoredHessian`, or an operator with `eigen()`.
 * @param dim - its order `d`.
 * @throws {@link InvalidArgumentError} / {@link DimensionMismatchError} for a malformed matrix, or an operator that
 *   is not a `FactoredHessian` (a bare `matVec` does not give all eigenpairs cheaply: use `topEigen` from
 *   `@smoothhess/linalg` and pass the pairs).
 */
export function hessianEigen(hessian: HessianInput, dim: number): SymmetricEigen {
  checkInteger("dim", dim, 1);
  const resolved = resolveHessian("hessian", hessian, dim);
  if (resolved.dense) return symmetricEigen(resolved.dense, dim);
  if (resolved.factored) {
    const f = resolved.factored;
    return eigenFromFactors(f.left, f.right, f.rank, dim, { scale: f.scale });
  }
  const op = resolved.operator;
  if (op && typeof op.eigen === "function") {
    const eigen = op.eigen();
    checkEigenShape("hessian.eigen()", eigen, dim);
    return eigen;
  }
  throw new InvalidArgumentError(
    "hessian",
    "a dense matrix, a FactoredHessian or an operator with eigen() (otherwise compute its eigenpairs with topEigen and pass them as eigen)",
    hessian,
  );
}

/** Check the shape of eigenpairs returned by an operator: `d`, `0 ≤ k ≤ d`, `k` finite values, `k·d` vectors. */
function checkEigenShape(argument: string, eigen: SymmetricEigen, d: number): void {
  if (typeof eigen !== "object" || eigen === null) throw new InvalidArgumentError(argument, "eigenpairs { d, k, values, vectors }", eigen);
  if (eigen.d !== d) throw new DimensionMismatchError(`${argument}.d`, `${d} (the length of the gradient)`, eigen.d);
  checkInteger(`${argument}.k`, eigen.k, 0, d);
  checkFiniteArray(`${argument}.values`, eigen.values, eigen.k);
  if (eigen.vectors?.length !== eigen.k * d) {
    throw new DimensionMismatchError(`${argument}.vectors`, `length k·d = ${eigen.k * d}`, described(`length ${eigen.vectors?.length}`));
  }
  checkFiniteArray(`${argument}.vectors`, eigen.vectors, eigen.k * d);
}

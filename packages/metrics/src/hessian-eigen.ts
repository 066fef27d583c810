import { InvalidArgumentError, checkInteger } from "@smoothhess/errors";
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
 * @param hessian - a dense row-major symmetric `d×d` matrix or a `FactoredHessian`.
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
  throw new InvalidArgumentError(
    "hessian",
    "a dense matrix or a FactoredHessian (for another operator, compute its eigenpairs with topEigen and pass them as eigen)",
    hessian,
  );
}

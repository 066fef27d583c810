import { checkInteger } from "@smoothhess/errors";
import { type EigenOrder, type SymmetricEigen, checkEigenOrder, fixEigenvectorSigns, orderedIndices } from "./eigenpairs.js";
import { checkSymmetric } from "./matrix-checks.js";
import { selectedEigenpairs } from "./selected-eigenpairs.js";
import { tridiagonalQLInPlace } from "./tridiagonal-ql.js";

/** Options of {@link symmetricEigen}. */
export interface SymmetricEigenOptions {
  /** Order of the returned pairs (default `"magnitude"`: `|λ|` descending). */
  readonly order?: EigenOrder;
  /** Keep only the first `k` pairs in that order (default `d`: all). `0 ≤ k ≤ d`. */
  readonly k?: number;
}

/**
 * Eigenvalues and orthonormal eigenvectors of a symmetric matrix: `A = Σⱼ λⱼ qⱼqⱼᵀ`.
 *
 * Pairs are sorted by `|λ|` descending (the order of the SmoothHess paper's Eq. 66 and of {@link truncateByEnergy})
 * unless `options.order` says `"descending"` or `"ascending"` (by value). Vectors come as the rows of a `k×d`
 * array (see {@link SymmetricEigen} for the layout and the sign convention).
 *
 * Method: Householder tridiagonalisation and implicit QL (EISPACK `tred2`/`tql2`, the algorithm of ml-matrix's
 * `EigenvalueDecomposition`), on one flat `Float64Array` laid out so that every inner loop is contiguous; the
 * matrix is scaled by its largest entry first so that no intermediate overflows. Backward stable: the
 * reconstruction error is a small multiple of `d·ε·‖A‖`. Cost `O(d³)` (2.3 s at d = 784 on one core of the
 * development machine, half of ml-matrix's time; see the README) and one `d×d` work array. When `k < d/4` pairs are
 * wanted, only those are computed (tridiagonalisation, inverse iteration and back-transformation, LAPACK
 * `dsyevx`'s scheme, about 5× faster), with a fallback to full QL if any vector fails its accuracy checks.
 * The input is symmetrised (`(A + Aᵀ)/2`) after the symmetry check, so tiny asymmetries do not leak into the
 * result.
 *
 * @param a - row-major `d×d` symmetric matrix (any `ArrayLike<number>`, not modified).
 * @param d - its order, an integer ≥ 1.
 * @param options - order and number of pairs to keep.
 * @throws {@link InvalidArgumentError} / {@link DimensionMismatchError} for a wrong length (non-square input),
 *   non-finite entries, an asymmetric matrix (relative tolerance 1e-10 of the largest entry), a bad `order`, or
 *   `k` outside `[0, d]`; {@link ConvergenceError} if QL fails to converge (not seen on finite input).
 *
 * @example
 * ```ts
 * const { values, vectors } = symmetricEigen([2, 1, 1, 2], 2); // values [3, 1], vectors rows [s, s], [s, -s]
 * ```
 */
export function symmetricEigen(a: ArrayLike<number>, d: number, options: SymmetricEigenOptions = {}): SymmetricEigen {
  checkInteger("d", d, 1);
  checkSymmetric("a", a, d);
  const order = checkEigenOrder("options.order", options.order);
  const k = options.k === undefined ? d : checkInteger("options.k", options.k, 0, d);
  return symmetricEigenUnchecked(a, d, order, k);
}

/**
 * {@link symmetricEigen} without argument checks, for callers that built `a` themselves. `a` must be finite and
 * symmetric up to rounding; it is not modified.
 * @internal
 */
export function symmetricEigenUnchecked(a: ArrayLike<number>, d: number, order: EigenOrder, k: number): SymmetricEigen {
  let scale = 0;
  for (let i = 0; i < d * d; i++) scale = Math.max(scale, Math.abs(a[i]));
  const values = new Float64Array(d);
  const w = new Float64Array(d * d);
  if (scale === 0) {
    for (let i = 0; i < d; i++) w[i * d + i] = 1;
    return selectPairs(values, w, d, d, order, k);
  }
  const load = (): void => {
    const half = 0.5 / scale;
    for (let i = 0; i < d; i++) {
      w[i * d + i] = a[i * d + i] / scale;
      for (let j = 0; j < i; j++) {
        const v = (a[i * d + j] + a[j * d + i]) * half;
        w[i * d + j] = v;
        w[j * d + i] = v;
      }
    }
  };
  load();
  if (k * SELECTED_FRACTION < d && d >= 32) {
    const selected = selectedEigenpairs(w, d, order, k);
    if (selected) {
      for (let j = 0; j < k; j++) selected.values[j] *= scale;
      fixEigenvectorSigns(selected.vectors, k, d);
      return { d, k, values: selected.values, vectors: selected.vectors };
    }
    load();
  }
  tridiagonalQLInPlace(w, d, values);
  for (let i = 0; i < d; i++) values[i] *= scale;
  return selectPairs(values, w, d, d, order, k);
}

/** Use the selected-eigenpairs path when fewer than `d / SELECTED_FRACTION` pairs are wanted. */
const SELECTED_FRACTION = 4;

/**
 * Sort `count` pairs (`values[j]`, row `j` of the row-major `count×d` `rows`) into `order`, keep the first `k`,
 * fix the signs. Reuses `rows` when nothing moves.
 * @internal
 */
export function selectPairs(
  values: Float64Array,
  rows: Float64Array,
  count: number,
  d: number,
  order: EigenOrder,
  k: number,
): SymmetricEigen {
  const index = orderedIndices(values.subarray(0, count), order);
  const outValues = new Float64Array(k);
  const identity = k === count && index.every((v, i) => v === i);
  const vectors = identity ? rows : new Float64Array(k * d);
  for (let j = 0; j < k; j++) {
    outValues[j] = values[index[j]];
    if (!identity) vectors.set(rows.subarray(index[j] * d, index[j] * d + d), j * d);
  }
  fixEigenvectorSigns(vectors, k, d);
  return { d, k, values: outValues, vectors };
}

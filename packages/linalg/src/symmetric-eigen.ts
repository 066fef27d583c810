import { InvalidArgumentError, checkInteger, checkNumberInRange } from "@smoothhess/errors";
import { type EigenOrder, type SymmetricEigen, checkEigenOrder, fixEigenvectorSigns, orderedIndices, spectrumEnergy } from "./eigenpairs.js";
import { energyRank } from "./truncate-by-energy.js";
import { checkSymmetric } from "./matrix-checks.js";
import { applyReflectors, reflectorWork, reflectorWorkLengths, tridiagonalize } from "./householder-tridiagonal.js";
import type { DenseKernels } from "./kernels/dense-kernels.js";
import { denseKernels } from "./kernels/kernel-backend.js";
import { selectedTridiagonalEigenpairs } from "./selected-eigenpairs.js";
import { tridiagonalDivideConquer, divideConquerLengths } from "./tridiagonal-divide-conquer.js";
import { tridiagonalQL } from "./tridiagonal-ql.js";

/** Options of {@link symmetricEigen}. */
export interface SymmetricEigenOptions {
  /** Order of the returned pairs (default `"magnitude"`: `|λ|` descending). */
  readonly order?: EigenOrder;
  /** Keep only the first `k` pairs in that order (default `d`: all). `0 ≤ k ≤ d`. */
  readonly k?: number;
  /**
   * `T ∈ (0, 1]`: keep the fewest pairs by `|λ|` carrying a fraction `T` of `Σ|λ|` (paper Eq. 71), decided on all
   * eigenvalues (computed without vectors) before any vector is computed; the result carries `totalMagnitude`.
   * Implies `order: "magnitude"`; not together with `k`.
   */
  readonly energy?: number;
}

/**
 * Eigenvalues and orthonormal eigenvectors of a symmetric matrix: `A = Σⱼ λⱼ qⱼqⱼᵀ`.
 *
 * Pairs are sorted by `|λ|` descending (the order of the SmoothHess paper's Eq. 66 and of {@link truncateByEnergy})
 * unless `options.order` says `"descending"` or `"ascending"` (by value). Vectors come as the rows of a `k×d`
 * array (see {@link SymmetricEigen} for the layout and the sign convention).
 *
 * Method (LAPACK `dsyevd`'s): blocked Householder reduction to tridiagonal form (panels of 32 rows, one
 * rank-64 update of the remaining block per panel), Cuppen's divide and conquer on the tridiagonal with the
 * Gu–Eisenstat eigenvector formula (orthogonal vectors without reorthogonalisation, deflation of small and repeated
 * components), and the back-transformation as block reflectors. The matrix products run on the dense kernels
 * (WebAssembly SIMD by default, plain JavaScript as fallback: see {@link setKernelBackend}); the matrix is scaled
 * by its largest entry first so that no intermediate overflows. Backward stable: the reconstruction error is a small
 * multiple of `d·ε·‖A‖`. Cost `O(d³)` and about five `d×d` work arrays (see the README's benchmarks against
 * LAPACK). When `k < d/4` pairs are wanted (or `energy` leaves that few), only those vectors are computed: all
 * eigenvalues by QL without vectors, the `k` vectors of the tridiagonal by inverse iteration, and only those `k`
 * back-transformed (LAPACK `dsyevx`'s scheme), with a fallback to the full path if any vector fails its accuracy
 * checks. The input is symmetrised (`(A + Aᵀ)/2`) after the symmetry check, so tiny asymmetries do not leak into the
 * result.
 *
 * @param a - row-major `d×d` symmetric matrix (any `ArrayLike<number>`, not modified).
 * @param d - its order, an integer ≥ 1.
 * @param options - order, and number of pairs to keep (`k`, or `energy` for Eq. 71's `k(T)`).
 * @throws {@link InvalidArgumentError} / {@link DimensionMismatchError} for a wrong length (non-square input),
 *   non-finite entries, an asymmetric matrix (relative tolerance 1e-10 of the largest entry), a bad `order`,
 *   `k` outside `[0, d]`, `energy` outside `(0, 1]`, or `energy` with `k` or an order other than `"magnitude"`;
 *   {@link ConvergenceError} if QL fails to converge on a leaf (not seen on finite input).
 *
 * @example
 * ```ts
 * const { values, vectors } = symmetricEigen([2, 1, 1, 2], 2); // values [3, 1], vectors rows [s, s], [s, -s]
 * ```
 */
export function symmetricEigen(a: ArrayLike<number>, d: number, options: SymmetricEigenOptions = {}): SymmetricEigen {
  checkInteger("d", d, 1);
  checkSymmetric("a", a, d);
  if (typeof options !== "object" || options === null) throw new InvalidArgumentError("options", "an options object { order?, k?, energy? }", options);
  const order = checkEigenOrder("options.order", options.order);
  if (options.energy !== undefined) {
    if (options.k !== undefined) throw new InvalidArgumentError("options.k", "no k together with options.energy (give one of them)", options.k);
    if (order !== "magnitude") throw new InvalidArgumentError("options.order", '"magnitude" (or nothing) with options.energy', options.order);
    return symmetricEigenUnchecked(a, d, order, { energy: checkNumberInRange("options.energy", options.energy, 0, 1, { min: true }) });
  }
  const k = options.k === undefined ? d : checkInteger("options.k", options.k, 0, d);
  return symmetricEigenUnchecked(a, d, order, k);
}

/**
 * {@link symmetricEigen} without argument checks, for callers that built `a` themselves. `a` must be finite and
 * symmetric up to rounding; it is not modified.
 * @internal
 */
/** Use the selected-eigenpairs path when fewer than `d / SELECTED_FRACTION` pairs are wanted. */
const SELECTED_FRACTION = 4;

/**
 * {@link symmetricEigen} without argument checks, for callers that built `a` themselves. `a` must be finite and
 * symmetric up to rounding; it is not modified. `count` is `k`, or `{ energy: T }` for Eq. 71's `k(T)`.
 * @internal
 */
export function symmetricEigenUnchecked(a: ArrayLike<number>, d: number, order: EigenOrder, count: number | { readonly energy: number }): SymmetricEigen {
  const scale = largestMagnitude(a, d);
  if (scale === 0 || d === 1) {
    const values = Float64Array.of(d === 1 ? a[0] : 0);
    const vectors = new Float64Array(d * d);
    for (let i = 0; i < d; i++) vectors[i * d + i] = 1;
    const all = selectPairs(d === 1 ? values : new Float64Array(d), vectors, d, d, order, d);
    if (typeof count === "number") return count === d ? all : { d, k: count, values: all.values.slice(0, count), vectors: all.vectors.slice(0, count * d) };
    const k = energyRank(all.values, count.energy, "a's eigenvalues", "options.energy");
    return { d, k, values: all.values.slice(0, k), vectors: all.vectors.slice(0, k * d), totalMagnitude: spectrumEnergy(all).total };
  }
  const kernels = denseKernels();
  try {
    return decompose(kernels, a, d, scale, order, count, "auto")!;
  } finally {
    kernels.release();
  }
}

/**
 * Reduce to tridiagonal form, choose `k` (given, or Eq. 71's from all eigenvalues), then compute only those `k`
 * vectors by inverse iteration and back-transform them when `k < d/4`, else all of them by divide and conquer.
 */
function decompose(
  kernels: DenseKernels,
  a: ArrayLike<number>,
  d: number,
  scale: number,
  order: EigenOrder,
  count: number | { readonly energy: number },
  path: "auto" | "full" | "selected",
): SymmetricEigen | null {
  const fewKnown = path !== "full" && typeof count === "number" && count * SELECTED_FRACTION < d && d >= 32;
  // every array is taken in one call (later calls may move the wasm memory); the selected path needs no d×d blocks
  const dcLengths = fewKnown ? [] : divideConquerLengths(d);
  const rows = fewKnown ? (count as number) : d;
  const arrays = kernels.workspace([d * d, d, d, d, rows * d, ...dcLengths, ...reflectorWorkLengths(d, rows)]);
  const [w, diag, off, tau, z] = arrays;
  const dc = arrays.slice(5, 5 + dcLengths.length);
  const work = reflectorWork(arrays.slice(5 + dcLengths.length));
  loadLowerScaled(a, d, scale, w);
  tridiagonalize(kernels, w, d, diag, off, tau, work);

  let k: number;
  let totalMagnitude: number | undefined;
  if (typeof count === "number") {
    k = count;
  } else {
    const values = Float64Array.from(diag);
    tridiagonalQL(values, Float64Array.from(off), d);
    for (let i = 0; i < d; i++) values[i] *= scale;
    const sorted = Float64Array.from(orderedIndices(values, "magnitude"), (i) => values[i]);
    k = energyRank(sorted, count.energy, "a's eigenvalues", "options.energy");
    totalMagnitude = spectrumEnergy({ values: sorted }).total;
  }
  if (path !== "full" && k * SELECTED_FRACTION < d && d >= 32) {
    const pairs = selectedTridiagonalEigenpairs(diag, off, d, order, k);
    if (pairs) {
      z.set(pairs.vectors);
      applyReflectors(kernels, w, d, tau, z, k, work);
      for (let j = 0; j < k; j++) pairs.values[j] *= scale;
      const vectors = fixEigenvectorSigns(z.slice(0, k * d), k, d);
      return withTotal({ d, k, values: pairs.values, vectors }, totalMagnitude);
    }
    if (path === "selected") return null;
    // inverse iteration failed its checks: all vectors by divide and conquer (a new, larger workspace if needed)
    if (fewKnown) return decompose(kernels, a, d, scale, order, k, "full");
  }
  tridiagonalDivideConquer(kernels, diag, off, d, z, dc);
  applyReflectors(kernels, w, d, tau, z, d, work);
  const values = new Float64Array(d);
  for (let i = 0; i < d; i++) values[i] = diag[i] * scale;
  return withTotal(selectPairs(values, z.slice(), d, d, order, k), totalMagnitude);
}

function withTotal(eigen: SymmetricEigen, totalMagnitude: number | undefined): SymmetricEigen {
  return totalMagnitude === undefined ? eigen : { ...eigen, totalMagnitude };
}

/**
 * Eigenvalues of a symmetric matrix only (no vectors): the same reduction as {@link symmetricEigen}, then `O(d²)`
 * implicit QL on the tridiagonal. Sorted by `order` (default `"magnitude"`: `|λ|` descending).
 *
 * @param a - row-major `d×d` symmetric matrix (any `ArrayLike<number>`, not modified).
 * @param d - its order, an integer ≥ 1.
 * @param options - `order` of the returned values.
 * @throws the argument errors of {@link symmetricEigen}.
 *
 * @example
 * ```ts
 * import { symmetricEigenvalues } from "@smoothhess/linalg";
 * symmetricEigenvalues([2, 1, 1, 2], 2, { order: "ascending" }); // Float64Array [1, 3]
 * ```
 */
export function symmetricEigenvalues(a: ArrayLike<number>, d: number, options: { readonly order?: EigenOrder } = {}): Float64Array {
  checkInteger("d", d, 1);
  checkSymmetric("a", a, d);
  if (typeof options !== "object" || options === null) throw new InvalidArgumentError("options", "an options object { order? }", options);
  const order = checkEigenOrder("options.order", options.order);
  const scale = largestMagnitude(a, d);
  if (scale === 0) return new Float64Array(d);
  const kernels = denseKernels();
  try {
    const [w, diag, off, tau, ...rest] = kernels.workspace([d * d, d, d, d, ...reflectorWorkLengths(d, 0)]);
    loadLowerScaled(a, d, scale, w);
    tridiagonalize(kernels, w, d, diag, off, tau, reflectorWork(rest));
    const values = Float64Array.from(diag);
    tridiagonalQL(values, Float64Array.from(off), d);
    for (let i = 0; i < d; i++) values[i] *= scale;
    return Float64Array.from(orderedIndices(values, order), (i) => values[i]);
  } finally {
    kernels.release();
  }
}

/**
 * The selected path alone (no fallback): `null` when inverse iteration fails its checks.
 * @internal exported for tests.
 */
export function selectedEigenpairs(a: ArrayLike<number>, d: number, order: EigenOrder, k: number): SymmetricEigen | null {
  const scale = largestMagnitude(a, d) || 1;
  const kernels = denseKernels();
  try {
    return decompose(kernels, a, d, scale, order, k, "selected");
  } finally {
    kernels.release();
  }
}

/** Largest `|a[i]|` over the `d×d` entries. */
function largestMagnitude(a: ArrayLike<number>, d: number): number {
  let scale = 0;
  for (let i = 0; i < d * d; i++) scale = Math.max(scale, Math.abs(a[i]));
  return scale;
}

/** `w`'s lower triangle ← that of `(A + Aᵀ)/(2·scale)`. */
function loadLowerScaled(a: ArrayLike<number>, d: number, scale: number, w: Float64Array): void {
  const half = 0.5 / scale;
  for (let i = 0; i < d; i++) {
    const row = i * d;
    for (let j = 0; j < i; j++) w[row + j] = (a[row + j] + a[j * d + i]) * half;
    w[row + i] = a[row + i] / scale;
  }
}

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

import {
  DimensionMismatchError,
  InvalidArgumentError,
  checkFiniteArray,
  checkInteger,
  described,
} from "@smoothhess/errors";

/**
 * How eigenpairs are ordered:
 * - `"magnitude"`: by `|λ|` descending (ties: the positive one first), the order of the SmoothHess paper
 *   (App. D.1) and of {@link truncateByEnergy};
 * - `"descending"`: by value, largest first;
 * - `"ascending"`: by value, smallest first.
 */
export type EigenOrder = "magnitude" | "descending" | "ascending";

/**
 * `k` eigenpairs of a symmetric `d×d` matrix `H`.
 *
 * Layout: `vectors` is a row-major `k×d` `Float64Array` whose **row `j`** (`vectors.subarray(j*d, (j+1)*d)`) is the
 * unit eigenvector of `values[j]`; in matrix terms `vectors` holds `Qᵀ`. Rows are contiguous, so projecting a
 * vector onto the eigenbasis (`Qᵀg`: `k` dot products) and lifting coefficients back (`Qc`: `k` axpys) both run
 * over contiguous memory, and a truncation to the first `k'` pairs is a `subarray`.
 *
 * Signs are fixed: the entry of largest magnitude of every eigenvector (the first such entry on ties) is positive.
 * When `k = d`, `H = Σⱼ values[j]·qⱼqⱼᵀ`; when `k < d` the pairs are the first `k` in the order they were
 * requested in.
 */
export interface SymmetricEigen {
  /** Order of the matrix (length of each eigenvector). */
  readonly d: number;
  /** Number of eigenpairs held. */
  readonly k: number;
  /** Eigenvalues, length `k`. */
  readonly values: Float64Array;
  /** Eigenvectors, row-major `k×d`, row `j` belongs to `values[j]`. */
  readonly vectors: Float64Array;
  /**
   * `Σ|λ|` over **every** eigenvalue of the matrix the pairs come from, when the pairs held may be only its leading
   * ones: {@link eigenFromFactors} and {@link symmetricEigen} with `energy` set it. Energy truncation ({@link reducedTrustRegionStep}, paper Eq. 71, whose
   * denominator is `Σ_{i≤d}|λᵢ|`) measures against it, so `k(T)` is the one of the full spectrum. Absent, or within
   * `1e-10` (relative) of the held values' own `Σ|λ|`: the pairs held are the whole spectrum (see
   * {@link spectrumEnergy}).
   */
  readonly totalMagnitude?: number;
}

/** What {@link spectrumEnergy} returns. */
export interface SpectrumEnergy {
  /** `Σ|λ|` of the values held (a running sum in their order). */
  readonly held: number;
  /** `Σ|λ|` of the whole spectrum: `totalMagnitude`, or `held` when that is absent or equal to rounding. */
  readonly total: number;
  /** Whether the pairs held carry the whole spectrum (`total === held`). */
  readonly complete: boolean;
}

/** `totalMagnitude` within this relative distance of the held values' `Σ|λ|` counts as equal (rounding). */
const COMPLETE_TOLERANCE = 1e-10;

/**
 * How much of a matrix's eigenvalue magnitude `Σ|λ|` a {@link SymmetricEigen} holds: `held` (its values), `total`
 * (its `totalMagnitude` when that exceeds `held` by more than `1e-10` relative, else `held`) and `complete`.
 * `held / total` is the largest energy threshold `T` of Eq. 71 that the pairs can serve.
 *
 * @throws {@link InvalidArgumentError} for a non-object, non-finite `values` or a `totalMagnitude` that is not a
 *   finite number ≥ 0.
 *
 * @example
 * ```ts
 * const top = eigenFromFactors(Z, G, m, d, { energy: 0.98 });
 * const { held, total } = spectrumEnergy(top); // held ≥ 0.98·total
 * ```
 */
export function spectrumEnergy(eigen: { readonly values: ArrayLike<number>; readonly totalMagnitude?: number }): SpectrumEnergy {
  if (typeof eigen !== "object" || eigen === null) throw new InvalidArgumentError("eigen", "an object { values, totalMagnitude? }", eigen);
  checkFiniteArray("eigen.values", eigen.values);
  const t0 = eigen.totalMagnitude;
  if (t0 !== undefined && !(typeof t0 === "number" && Number.isFinite(t0) && t0 >= 0)) {
    throw new InvalidArgumentError("eigen.totalMagnitude", "a finite number ≥ 0 or undefined", t0);
  }
  let held = 0;
  for (let i = 0; i < eigen.values.length; i++) held += Math.abs(eigen.values[i]);
  const t = eigen.totalMagnitude;
  const total = t !== undefined && t > held * (1 + COMPLETE_TOLERANCE) ? t : held;
  return { held, total, complete: total === held };
}

const ORDERS: readonly EigenOrder[] = ["magnitude", "descending", "ascending"];

/**
 * Check that `value` is an {@link EigenOrder} (or undefined, meaning `"magnitude"`); return it.
 * @throws {@link InvalidArgumentError} naming `argument`.
 * @internal
 */
export function checkEigenOrder(argument: string, value: unknown): EigenOrder {
  if (value === undefined) return "magnitude";
  if (!ORDERS.includes(value as EigenOrder)) {
    throw new InvalidArgumentError(argument, `one of ${ORDERS.map((o) => `"${o}"`).join(", ")}`, value);
  }
  return value as EigenOrder;
}

/**
 * Comparator that sorts eigenvalues into `order` (negative when `a` comes first).
 * @internal
 */
export function eigenvalueComparator(order: EigenOrder): (a: number, b: number) => number {
  switch (order) {
    case "descending":
      return (a, b) => b - a;
    case "ascending":
      return (a, b) => a - b;
    default:
      return (a, b) => Math.abs(b) - Math.abs(a) || b - a;
  }
}

/**
 * Indices `0..values.length-1` sorted so that `values[index[j]]` follows `order`; stable.
 * @internal
 */
export function orderedIndices(values: ArrayLike<number>, order: EigenOrder): number[] {
  const compare = eigenvalueComparator(order);
  const index = Array.from({ length: values.length }, (_, i) => i);
  index.sort((i, j) => compare(values[i], values[j]) || i - j);
  return index;
}

/**
 * Flip rows of the row-major `k×d` `vectors` so that each row's entry of largest magnitude is positive.
 * @internal
 */
export function fixEigenvectorSigns(vectors: Float64Array, k: number, d: number): Float64Array {
  for (let j = 0; j < k; j++) {
    const row = j * d;
    let best = 0;
    let at = 0;
    for (let t = 0; t < d; t++) {
      const v = Math.abs(vectors[row + t]);
      if (v > best) {
        best = v;
        at = t;
      }
    }
    if (vectors[row + at] < 0) for (let t = 0; t < d; t++) vectors[row + t] = -vectors[row + t];
  }
  return vectors;
}

/**
 * Check a user-supplied {@link SymmetricEigen}: integer `d ≥ 1` (equal to `d` when given), `0 ≤ k ≤ d`, finite
 * `values` of length `k`, finite `vectors` of length `k·d`, and `totalMagnitude`, when present, finite and `≥ 0`. Orthonormality is not checked (it would cost
 * `O(dk²)`); it is the caller's promise. Returns `eigen` typed.
 *
 * @param argument - name used in error messages (fields are reported as `argument.d`, `argument.values`, ...).
 * @param eigen - the value to check.
 * @param d - the required order, when the caller knows it (e.g. the length of a gradient).
 * @throws {@link InvalidArgumentError} / {@link DimensionMismatchError} naming `argument` and the field.
 */
export function checkEigen(argument: string, eigen: unknown, d?: number): SymmetricEigen {
  if (typeof eigen !== "object" || eigen === null) {
    throw new InvalidArgumentError(argument, "an object { d, k, values, vectors }", eigen);
  }
  const e = eigen as SymmetricEigen;
  checkInteger(`${argument}.d`, e.d, 1);
  if (d !== undefined && e.d !== d) {
    throw new DimensionMismatchError(`${argument}.d`, `${d} (the length of the gradient)`, e.d);
  }
  checkInteger(`${argument}.k`, e.k, 0, e.d);
  checkFiniteArray(`${argument}.values`, e.values, e.k);
  if (e.vectors?.length !== undefined && e.vectors.length !== e.k * e.d) {
    throw new DimensionMismatchError(
      `${argument}.vectors`,
      `a ${e.k}×${e.d} row-major array (length ${e.k * e.d})`,
      described(`length ${e.vectors.length}`),
    );
  }
  checkFiniteArray(`${argument}.vectors`, e.vectors, e.k * e.d);
  if (e.totalMagnitude !== undefined && !(typeof e.totalMagnitude === "number" && Number.isFinite(e.totalMagnitude) && e.totalMagnitude >= 0)) {
    throw new InvalidArgumentError(`${argument}.totalMagnitude`, "a finite number ≥ 0 (Σ|λ| of the whole spectrum) or undefined", e.totalMagnitude);
  }
  return e;
}

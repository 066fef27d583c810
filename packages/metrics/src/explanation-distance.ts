import { DimensionMismatchError, InvalidArgumentError, checkFiniteArray, checkInteger, described } from "@smoothhess/errors";
import { checkSymmetric, symmetricEigen, topEigen } from "@smoothhess/linalg";

/**
 * Distances between two vector explanations (saliency, SmoothGrad, C-LIME) of the same `d` features. Every field
 * is a *distance*: 0 for identical explanations, larger for more different ones.
 */
export interface VectorExplanationDistance {
  /** `‖a − b‖₁`, the distance Agarwal et al. plot (§6.2–6.3). */
  readonly l1: number;
  /** `‖a − b‖₂`, the norm of the Lipschitz bounds (Agarwal et al. Def. 1). */
  readonly l2: number;
  /**
   * `1 − |K_a ∩ K_b| / k`, where `K_a` holds the `k` features of largest `|aᵢ|` (the top-k intersection of
   * attribution attacks, Ghorbani et al. 2019, reported as a distance); `undefined` when no `topK` was asked for.
   */
  readonly topK?: number;
}

/**
 * Distances between two symmetric `d×d` matrix explanations (SmoothHess, any Hessian). Every field is a distance.
 */
export interface MatrixExplanationDistance {
  /** `‖A − B‖_F`. */
  readonly frobenius: number;
  /** `‖A − B‖₂`, the largest `|λ|` of the symmetric difference (the norm of the SmoothHess Lipschitz bound). */
  readonly spectral: number;
  /**
   * `1 − |P_A ∩ P_B| / k`, where `P_A` holds the `k` feature pairs `i < j` of largest interaction `|Aᵢⱼ|`;
   * `undefined` when no `topK` was asked for.
   */
  readonly topKPairs?: number;
}

/**
 * The `k` indices of largest `|v[i]|`, ties broken by the lower index (so the set is deterministic).
 * @throws {@link InvalidArgumentError} when `k` is not an integer in `[1, v.length]`.
 */
export function topKIndices(v: ArrayLike<number>, k: number, argument = "k"): Int32Array {
  checkTopK(argument, k, v.length, "features");
  const order = Array.from({ length: v.length }, (_, i) => i);
  order.sort((i, j) => Math.abs(v[j]) - Math.abs(v[i]) || i - j);
  return Int32Array.from(order.slice(0, k));
}

/** `1 − |A ∩ B| / k` for two index sets of size `k`. */
function setDistance(a: Int32Array, b: Int32Array): number {
  const inA = new Set(a);
  let shared = 0;
  for (const i of b) if (inA.has(i)) shared++;
  return 1 - shared / a.length;
}

/**
 * The top-k intersection of two vector explanations as a *fraction* in `[0, 1]`: the share of the `k` features of
 * largest `|a|` that are also among the `k` of largest `|b|` (1 = same top-k set).
 *
 * @throws {@link DimensionMismatchError} for vectors of different lengths; {@link InvalidArgumentError} for
 *   `k > d`, `k < 1`, or non-finite entries.
 */
export function topKIntersection(a: ArrayLike<number>, b: ArrayLike<number>, k: number): number {
  checkSameLength(a, b);
  checkFiniteArray("a", a, a.length);
  checkFiniteArray("b", b, a.length);
  return 1 - setDistance(topKIndices(a, k), topKIndices(b, k));
}

/**
 * L1, L2 and (optionally) top-k distances between two vector explanations of the same features.
 *
 * @param a - first explanation, length `d`.
 * @param b - second explanation, length `d`.
 * @param options - `topK`: size of the top-k sets (an integer in `[1, d]`); omitted: no top-k distance.
 * @throws {@link DimensionMismatchError} when `a` and `b` differ in length; {@link InvalidArgumentError} for
 *   `topK > d` or non-finite entries.
 *
 * @example
 * ```ts
 * import { vectorExplanationDistance } from "@smoothhess/metrics";
 * const { l1, l2, topK } = vectorExplanationDistance([3, -1, 0.5], [2.5, -1.5, 0.5], { topK: 1 });
 * // l1 = 1, l2 ≈ 0.707, topK = 0 (feature 0 leads both)
 * ```
 */
export function vectorExplanationDistance(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: { readonly topK?: number } = {},
): VectorExplanationDistance {
  checkSameLength(a, b);
  const d = a.length;
  if (d < 1) throw new InvalidArgumentError("a", "a non-empty explanation", described("length 0"));
  checkFiniteArray("a", a, d);
  checkFiniteArray("b", b, d);
  if (options.topK !== undefined) checkTopK("options.topK", options.topK, d, "features");
  let l1 = 0, l2 = 0;
  for (let i = 0; i < d; i++) {
    const t = a[i] - b[i];
    l1 += Math.abs(t);
    l2 += t * t;
  }
  const result: { l1: number; l2: number; topK?: number } = { l1, l2: Math.sqrt(l2) };
  if (options.topK !== undefined) result.topK = setDistance(topKIndices(a, options.topK), topKIndices(b, options.topK));
  return result;
}

/**
 * The `k` off-diagonal pairs `(i, j)`, `i < j`, of largest `|A[i,j]|` of a symmetric `d×d` matrix, as flat indices
 * `i·d + j` (ties broken by the lower index).
 * @throws {@link InvalidArgumentError} when `k` is not in `[1, d(d−1)/2]`.
 */
export function topKPairIndices(a: ArrayLike<number>, d: number, k: number, argument = "k"): Int32Array {
  checkTopK(argument, k, (d * (d - 1)) / 2, "feature pairs");
  const upper = new Float64Array((d * (d - 1)) / 2);
  const index = new Int32Array(upper.length);
  let p = 0;
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) {
      upper[p] = a[i * d + j];
      index[p++] = i * d + j;
    }
  }
  return topKIndices(upper, k, argument).map((q) => index[q]);
}

/**
 * Frobenius, spectral and (optionally) top-k-pairs distances between two symmetric `d×d` explanations, e.g. the
 * SmoothHess of one point and of a neighbour.
 *
 * The spectral norm of the difference is the largest `|λ|` of `A − B`: Lanczos (`topEigen`) for `d > 48`, the dense
 * symmetric eigensolver below (both from `@smoothhess/linalg`, to a relative accuracy of about 1e-10).
 *
 * @param a - first matrix, row-major `d×d`, symmetric.
 * @param b - second matrix, row-major `d×d`, symmetric.
 * @param d - the order.
 * @param options - `topK`: how many interacting pairs to compare (an integer in `[1, d(d−1)/2]`).
 * @throws {@link DimensionMismatchError} when a matrix is not `d×d`; {@link InvalidArgumentError} when it is not
 *   symmetric, not finite, or `topK` is out of range.
 *
 * @example
 * ```ts
 * import { matrixExplanationDistance } from "@smoothhess/metrics";
 * const { frobenius, spectral } = matrixExplanationDistance([0, 1, 1, 0], [0, 0, 0, 0], 2);
 * // frobenius = √2, spectral = 1
 * ```
 */
export function matrixExplanationDistance(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  d: number,
  options: { readonly topK?: number } = {},
): MatrixExplanationDistance {
  checkInteger("d", d, 1);
  checkMatrixShape("a", a, d);
  checkMatrixShape("b", b, d);
  checkSymmetric("a", a, d, 1e-8);
  checkSymmetric("b", b, d, 1e-8);
  if (options.topK !== undefined) checkTopK("options.topK", options.topK, (d * (d - 1)) / 2, "feature pairs");
  const diff = new Float64Array(d * d);
  let frobenius = 0;
  for (let r = 0; r < d; r++) {
    for (let c = 0; c < d; c++) {
      // symmetrise so that rounding-level asymmetry of an estimator does not reach the eigensolver
      const t = 0.5 * (a[r * d + c] + a[c * d + r] - b[r * d + c] - b[c * d + r]);
      diff[r * d + c] = t;
      frobenius += t * t;
    }
  }
  const result: { frobenius: number; spectral: number; topKPairs?: number } = {
    frobenius: Math.sqrt(frobenius),
    spectral: spectralNorm(diff, d),
  };
  if (options.topK !== undefined) {
    result.topKPairs = setDistance(topKPairIndices(a, d, options.topK), topKPairIndices(b, d, options.topK));
  }
  return result;
}

/** Largest `|λ|` of a symmetric matrix (0 for the zero matrix). */
export function spectralNorm(m: Float64Array, d: number): number {
  let scale = 0;
  for (let i = 0; i < m.length; i++) scale = Math.max(scale, Math.abs(m[i]));
  if (scale === 0) return 0;
  if (d <= 48) return Math.abs(symmetricEigen(m, d, { k: 1 }).values[0]);
  const out = new Float64Array(d);
  const matvec = (x: Float64Array): Float64Array => {
    for (let r = 0; r < d; r++) {
      let s = 0;
      for (let c = 0, base = r * d; c < d; c++) s += m[base + c] * x[c];
      out[r] = s;
    }
    return out;
  };
  return Math.abs(topEigen(matvec, d, 1).values[0]);
}

function checkSameLength(a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (!a || typeof a.length !== "number") throw new InvalidArgumentError("a", "an array of numbers", a);
  if (!b || typeof b.length !== "number") throw new InvalidArgumentError("b", "an array of numbers", b);
  if (a.length !== b.length) {
    throw new DimensionMismatchError("b", `an explanation of the same length as a (${a.length})`, described(`length ${b.length}`));
  }
}

function checkMatrixShape(argument: string, m: ArrayLike<number>, d: number): void {
  if (!m || typeof m.length !== "number") throw new InvalidArgumentError(argument, `a row-major ${d}×${d} matrix`, m);
  if (m.length !== d * d) {
    throw new DimensionMismatchError(argument, `a row-major ${d}×${d} matrix (length ${d * d})`, described(`length ${m.length}`));
  }
}

function checkTopK(argument: string, k: unknown, limit: number, what: string): number {
  if (typeof k !== "number" || !Number.isInteger(k) || k < 1 || k > limit) {
    throw new InvalidArgumentError(argument, `an integer k in [1, ${limit}] (there are ${limit} ${what})`, k);
  }
  return k;
}

import { InvalidArgumentError, checkFiniteArray, checkInteger, checkNumberInRange } from "@smoothhess/errors";
import {
  type EigenOrder,
  type SymmetricEigen,
  checkEigenOrder,
  eigenvalueComparator,
  fixEigenvectorSigns,
  spectrumEnergy,
} from "./eigenpairs.js";
import { energyRank } from "./truncate-by-energy.js";
import { applyQInPlace, householderQRInPlace } from "./householder-qr.js";
import { symmetricEigenUnchecked } from "./symmetric-eigen.js";
import { addRowDots } from "./row-kernels.js";

/** Options of {@link eigenFromFactors}. */
export interface EigenFromFactorsOptions {
  /**
   * Multiplier of `sym(AᵀB)`; default `1/m` (the sample mean `H = sym(Σᵢ aᵢbᵢᵀ)/m`). A Stein estimator with
   * perturbations `zᵢ` and gradients `gᵢ` passes its own normalisation here, e.g. `1/(m·σ²)`.
   */
  readonly scale?: number;
  /**
   * Number of eigenpairs to return, `0 ≤ k ≤ d` (default: `min(d, 2m)`, every pair the factors can carry). The
   * result's `k×d` vectors are the largest allocation besides the `2m×d` working copy: ask for what you use.
   */
  readonly k?: number;
  /**
   * Instead of `k`: return the fewest leading pairs (by `|λ|`, `order` must be `"magnitude"`) that carry this
   * fraction `T ∈ (0, 1]` of `Σ|λ|` over the whole spectrum — paper Eq. 71, decided on all eigenvalues of the small
   * `S` before any vector is lifted, so only those `k(T)` vectors are computed and allocated.
   */
  readonly energy?: number;
  /** Order of the returned pairs (default `"magnitude"`). */
  readonly order?: EigenOrder;
}

/**
 * Eigenpairs of the symmetric low-rank matrix `H = scale · sym(AᵀB) = scale · (AᵀB + BᵀA)/2` given only its
 * factors `A`, `B` (`m×d` row-major, e.g. Monte-Carlo perturbations and gradients), never forming `H`.
 *
 * Method: a blocked Householder thin QR of the stacked factors `C = [Aᵀ Bᵀ] = QR` (`d×2m`, or `d×m` when
 * `b === a`), so that `H = Q S Qᵀ` with the small `S = scale·sym(R_A R_Bᵀ)`; a dense eigendecomposition
 * `S = PΛPᵀ`; and the lift `vectors = QP`, applied as reflections without forming `Q`. Pairs beyond the rank of
 * the factors (`k > 2m`) are exact zeros whose vectors complete the basis (`Q`'s trailing columns).
 * Householder QR is backward stable, so rank-deficient factors (antithetic pairs, repeated rows) and
 * ill-conditioned ones are handled: `Q` stays orthonormal to rounding. Both factors are scaled by their largest
 * entry first, so no intermediate overflows.
 *
 * Cost: `≈ d·(2m)²` multiply-adds for the QR, `m·(2m)²` for `S`, `O(m³)` for its eigenproblem and `≈ 4·d·m·k`
 * for the lift. Memory: one `2m×d` float64 working copy of the factors plus the `k×d` result; nothing of size
 * `d×d` is ever allocated. The default `k = min(d, 2m)` makes the result as large as the working copy (at
 * d = 150,528 and m = 1,000, 2.2 GiB each): pass `k` or `energy` when fewer pairs are used.
 *
 * With `energy` (or when every pair of `S` is computed, `k ≥ min(d, 2m)`) the result carries `totalMagnitude`, `Σ|λ|`
 * over every eigenvalue of `H` (those of `S`; the rest are 0), so energy truncation of the partial result
 * ({@link reducedTrustRegionStep}) sees the whole spectrum. An explicit `k < min(d, 2m)` computes only its pairs of
 * `S` and leaves `totalMagnitude` out (like {@link topEigen}'s pairs, they are then taken for the whole spectrum).
 *
 * @param a - `m×d` row-major factor (float32 or float64; not modified).
 * @param b - `m×d` row-major factor; pass the same array as `a` for `H = scale·AᵀA` (half the work).
 * @param m - number of rows of each factor (samples), integer ≥ 1.
 * @param d - number of columns (the dimension of `H`), integer ≥ 1.
 * @param options - `scale`, `k` or `energy`, and `order`.
 * @returns the first `k` eigenpairs of `H` in `order`, vectors as rows (see {@link SymmetricEigen}), with
 *   `totalMagnitude` unless an explicit `k` was smaller than `min(d, 2m)`.
 * @throws {@link InvalidArgumentError} / {@link DimensionMismatchError} for non-integer sizes, factors of the wrong
 *   length or with non-finite entries, a non-finite `scale`, a bad `order`, `k` outside `[0, d]`, `energy` outside
 *   `(0, 1]`, or both `k` and `energy`, or `energy` with an order other than `"magnitude"`.
 *
 * @example
 * ```ts
 * // H = sym(ZᵀG)/m from m perturbations Z and the gradients G at them, d = 150,528
 * const top = eigenFromFactors(Z, G, m, d, { k: 50 }); // top.vectors is 50×d
 * const paper = eigenFromFactors(Z, G, m, d, { energy: 0.98 }); // the k(0.98) pairs of Eq. 71
 * ```
 */
export function eigenFromFactors(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  m: number,
  d: number,
  options: EigenFromFactorsOptions = {},
): SymmetricEigen {
  checkInteger("m", m, 1);
  checkInteger("d", d, 1);
  checkFiniteArray("a", a, m * d);
  const same = a === b;
  if (!same) checkFiniteArray("b", b, m * d);
  const scale = options.scale ?? 1 / m;
  if (typeof scale !== "number" || !Number.isFinite(scale)) {
    throw new InvalidArgumentError("options.scale", "a finite number", scale);
  }
  const order = checkEigenOrder("options.order", options.order);
  const nc = same ? m : 2 * m;
  const r = Math.min(d, nc);
  const energy = options.energy === undefined ? undefined : checkNumberInRange("options.energy", options.energy, 0, 1, { min: true });
  if (energy !== undefined && options.k !== undefined) {
    throw new InvalidArgumentError("options.energy", "no energy threshold together with options.k (give one of them)", energy);
  }
  if (energy !== undefined && order !== "magnitude") {
    throw new InvalidArgumentError("options.order", '"magnitude" with options.energy (Eq. 71 keeps the largest |λ|)', order);
  }
  let k = options.k === undefined ? r : checkInteger("options.k", options.k, 0, d);

  // working copy C (column j of C = row j of x), each factor scaled by its largest entry
  const x = new Float64Array(nc * d);
  const sa = maxAbs(a, m * d) || 1;
  const sb = same ? sa : maxAbs(b, m * d) || 1;
  for (let i = 0; i < m * d; i++) x[i] = a[i] / sa;
  if (!same) for (let i = 0; i < m * d; i++) x[m * d + i] = b[i] / sb;

  const qr = householderQRInPlace(x, nc, d);

  // R (r×nc, upper trapezoidal): R[i][c] = x[c*d + i] for i ≤ c
  const rows = new Float64Array(r * nc);
  for (let c = 0; c < nc; c++) {
    const top = Math.min(c, r - 1);
    for (let i = 0; i <= top; i++) rows[i * nc + c] = x[c * d + i];
  }
  // S = scale·sym(R_A R_Bᵀ), in the scaled units of x; S[i][j] = Σ_c R[i][c]·R[j][m+c]
  const s = new Float64Array(r * r);
  addRowDots(s, r, rows, 0, nc, r, rows, same ? 0 : m, nc, r, m);
  const coef = scale * sa * sb;
  for (let i = 0; i < r; i++) {
    s[i * r + i] *= coef;
    for (let j = 0; j < i; j++) {
      const v = 0.5 * coef * (s[i * r + j] + s[j * r + i]);
      s[i * r + j] = v;
      s[j * r + i] = v;
    }
  }
  // all r eigenvalues when the spectrum's Σ|λ| decides k; else only the wanted pairs of S
  const small = symmetricEigenUnchecked(s, r, order, energy === undefined ? Math.min(k, r) : r);
  // Σ|λ| of the whole spectrum, known when all r eigenvalues of S were computed (an explicit k < r computes only
  // its pairs, and the result, like topEigen's, says nothing about the rest)
  const totalMagnitude = small.k === r ? spectrumEnergy(small).held : undefined;
  if (energy !== undefined) k = energyRank(small.values, energy, "eigenvalues", "options.energy");

  // candidates: the r eigenvalues of S, then up to k exact zeros from the orthogonal complement of range(C)
  const extra = Math.min(k, d - r);
  const compare = eigenvalueComparator(order);
  const kept = Math.min(small.k, k);
  const index = Array.from({ length: kept + extra }, (_, i) => (i < kept ? i : r + (i - kept)));
  const valueOf = (i: number): number => (i < r ? small.values[i] : 0);
  index.sort((i, j) => compare(valueOf(i), valueOf(j)) || i - j);

  const values = new Float64Array(k);
  const vectors = new Float64Array(k * d);
  for (let j = 0; j < k; j++) {
    const i = index[j];
    values[j] = valueOf(i);
    if (i < r) vectors.set(small.vectors.subarray(i * r, i * r + r), j * d);
    else vectors[j * d + r + (i - r)] = 1;
  }
  applyQInPlace(qr, vectors, k);
  fixEigenvectorSigns(vectors, k, d);
  return totalMagnitude === undefined ? { d, k, values, vectors } : { d, k, values, vectors, totalMagnitude };
}

function maxAbs(values: ArrayLike<number>, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    const v = Math.abs(values[i]);
    if (v > s) s = v;
  }
  return s;
}

import { addRowDots, subtractRowCombinations } from "./row-kernels.js";

/**
 * A thin QR factorisation `C = Q R` of a tall `d×nc` matrix whose columns are stored as the rows of `x`
 * (internal; see {@link householderQRInPlace}).
 * @internal
 */
export interface HouseholderQR {
  /**
   * `nc×d` row-major. Row `j < r`: entries `[0, j]` are column `j` of `R` (`R[i][j] = x[j*d + i]`), entries
   * `(j, d)` the Householder vector `vⱼ` below its implicit leading 1. Row `j ≥ r` (only when `nc > d`): column `j`
   * of `R` in entries `[0, r)`.
   */
  readonly x: Float64Array;
  readonly d: number;
  readonly nc: number;
  /** Number of reflectors, `min(d, nc)`; `R` is `r×nc`. */
  readonly r: number;
  /** `τⱼ` of `Hⱼ = I − τⱼ vⱼvⱼᵀ`. */
  readonly tau: Float64Array;
  /** Panel starts; panel `p` covers reflectors `[starts[p], starts[p+1])` (last one ends at `r`). */
  readonly starts: number[];
  /** Per panel, the upper-triangular `b×b` factor `T` of `H_{j0}···H_{j0+b-1} = I − V T Vᵀ` (compact WY). */
  readonly t: Float64Array[];
}

/** Panel width of the blocked factorisation. */
const PANEL = 32;

/**
 * Blocked Householder QR (LAPACK `dgeqrf` with compact-WY panels) of the `d×nc` matrix `C` whose column `j` is row
 * `j` of `x` (`nc×d` row-major, overwritten). Backward stable: `Q` is orthonormal to rounding whatever the rank
 * or conditioning of `C` (rank-deficient input gives zero diagonal entries in `R`, not a failure), and
 * `Q R = C + ΔC` with `‖ΔC‖ = O(ε‖C‖)`. Cost `≈ d·nc²` multiply-adds for `nc ≤ d`, no `d×d` storage.
 * @internal
 */
export function householderQRInPlace(x: Float64Array, nc: number, d: number): HouseholderQR {
  const r = Math.min(d, nc);
  const tau = new Float64Array(r);
  const starts: number[] = [];
  const ts: Float64Array[] = [];
  for (let j0 = 0; j0 < r; j0 += PANEL) {
    const b = Math.min(PANEL, r - j0);
    const len = d - j0;
    const v = new Float64Array(b * len);
    const dots = new Float64Array(Math.max(b, nc - j0));
    // panel factorisation, one reflector at a time
    for (let a = 0; a < b; a++) {
      const j = j0 + a;
      tau[j] = makeReflector(x, j * d + j, d - j);
      const va = a * len;
      v[va + (j - j0)] = 1;
      for (let t = j + 1; t < d; t++) v[va + t - j0] = x[j * d + t];
      const rest = b - a - 1;
      if (rest > 0 && tau[j] !== 0) {
        dots.fill(0, 0, rest);
        addRowDots(dots, rest, v, va + (j - j0), len, 1, x, (j + 1) * d + j, d, rest, d - j);
        for (let i = 0; i < rest; i++) dots[i] *= tau[j];
        subtractRowCombinations(x, (j + 1) * d + j, d, rest, v, va + (j - j0), len, 1, dots, rest, d - j);
      }
    }
    // T with H_{j0}···H_{j0+b-1} = I − V T Vᵀ (dlarft, forward, columnwise)
    const gram = new Float64Array(b * b);
    addRowDots(gram, b, v, 0, len, b, v, 0, len, b, len);
    const t = new Float64Array(b * b);
    const z = new Float64Array(b);
    for (let i = 0; i < b; i++) {
      const ti = tau[j0 + i];
      t[i * b + i] = ti;
      for (let a = 0; a < i; a++) z[a] = gram[a * b + i];
      for (let a = 0; a < i; a++) {
        let s = 0;
        for (let c = a; c < i; c++) s += t[a * b + c] * z[c];
        t[a * b + i] = -ti * s;
      }
    }
    starts.push(j0);
    ts.push(t);
    // trailing update: C_trail ← (I − V Tᵀ Vᵀ) C_trail
    const nt = nc - j0 - b;
    if (nt > 0) {
      const w = new Float64Array(b * nt);
      addRowDots(w, nt, v, 0, len, b, x, (j0 + b) * d + j0, d, nt, len);
      const tw = new Float64Array(b * nt);
      for (let a = 0; a < b; a++) {
        for (let c = 0; c <= a; c++) {
          const coef = t[c * b + a];
          if (coef === 0) continue;
          const src = c * nt;
          const dst = a * nt;
          for (let i = 0; i < nt; i++) tw[dst + i] += coef * w[src + i];
        }
      }
      subtractRowCombinations(x, (j0 + b) * d + j0, d, nt, v, 0, len, b, tw, nt, len);
    }
  }
  return { x, d, nc, r, tau, starts, t: ts };
}

/**
 * Overwrite each of the `nz` rows `zᵢ` (length `d`) of `z` with `Q zᵢ`, `Q = H₀H₁···H_{r−1}` (the full `d×d`
 * orthogonal factor, applied without forming it). Cost `≈ 2·d·r·nz` multiply-adds.
 * @internal
 */
export function applyQInPlace(qr: HouseholderQR, z: Float64Array, nz: number): void {
  const { x, d, r, starts } = qr;
  if (nz === 0) return;
  for (let p = starts.length - 1; p >= 0; p--) {
    const j0 = starts[p];
    const b = Math.min(PANEL, r - j0);
    const len = d - j0;
    const t = qr.t[p];
    const v = new Float64Array(b * len);
    for (let a = 0; a < b; a++) {
      const j = j0 + a;
      v[a * len + a] = 1;
      for (let s = j + 1; s < d; s++) v[a * len + s - j0] = x[j * d + s];
    }
    // z ← (I − V T Vᵀ) z
    const w = new Float64Array(b * nz);
    addRowDots(w, nz, v, 0, len, b, z, j0, d, nz, len);
    const tw = new Float64Array(b * nz);
    for (let a = 0; a < b; a++) {
      for (let c = a; c < b; c++) {
        const coef = t[a * b + c];
        if (coef === 0) continue;
        const src = c * nz;
        const dst = a * nz;
        for (let i = 0; i < nz; i++) tw[dst + i] += coef * w[src + i];
      }
    }
    subtractRowCombinations(z, j0, d, nz, v, 0, len, b, tw, nz, len);
  }
}

/**
 * LAPACK `dlarfg` on the `n` entries `x[at..at+n)`: find `τ`, `β`, `v` with `(I − τvvᵀ)x = βe₁`; store `β` at
 * `x[at]` and `v` (without its leading 1) in `x[at+1..)`. Returns `τ` (0 when the tail is already zero).
 */
function makeReflector(x: Float64Array, at: number, n: number): number {
  let scale = 0;
  for (let t = 1; t < n; t++) scale = Math.max(scale, Math.abs(x[at + t]));
  if (scale === 0) return 0;
  const alpha = x[at];
  scale = Math.max(scale, Math.abs(alpha));
  let sum = 0;
  for (let t = 0; t < n; t++) {
    const v = x[at + t] / scale;
    sum += v * v;
  }
  const norm = scale * Math.sqrt(sum);
  const beta = alpha >= 0 ? -norm : norm;
  const tau = (beta - alpha) / beta;
  const f = 1 / (alpha - beta);
  for (let t = 1; t < n; t++) x[at + t] *= f;
  x[at] = beta;
  return tau;
}

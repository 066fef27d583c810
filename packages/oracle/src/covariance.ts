import { InvalidArgumentError, checkFiniteArray, checkInteger, checkPositive, described } from "@smoothhess/errors";
import { cholesky, lowerMatVec, solveLowerInPlace, solveLowerTransposeInPlace } from "@smoothhess/linalg";

/**
 * How a Gaussian's covariance Σ is given. Always an explicit object, never a bare number, because the
 * literature mixes standard deviations and variances (the paper's tables list σ², the authors' code calls a
 * variance `std`).
 *
 * - `{ sigma }`: isotropic, Σ = σ²·I (σ is a standard deviation).
 * - `{ variance }`: isotropic, Σ = v·I.
 * - `{ diagonal }`: Σ = diag(v₁…v_d), the entries are **variances**.
 * - `{ matrix }`: a full symmetric positive definite Σ, row-major d×d; factored once by Cholesky.
 */
export type CovarianceSpec =
  | { readonly sigma: number }
  | { readonly variance: number }
  | { readonly diagonal: ArrayLike<number> }
  | { readonly matrix: ArrayLike<number> };

/**
 * A Gaussian covariance Σ = L Lᵀ ready for sampling and for applying Σ⁻¹, without ever forming Σ⁻¹.
 * Create one with {@link covariance}.
 */
export interface Covariance {
  /** Dimension d. */
  readonly dim: number;
  /** Which structure Σ has. */
  readonly kind: "isotropic" | "diagonal" | "full";
  /**
   * Turn standard normal draws `z` into a perturbation `δ = L z ~ N(0, Σ)` and its whitened form
   * `Σ⁻¹δ = L⁻ᵀ z`, both written to the given arrays (length d, may not alias `z`).
   */
  perturbation(z: ArrayLike<number>, delta: Float64Array, precisionDelta: Float64Array): void;
  /** `out = Σ v`. */
  apply(v: ArrayLike<number>, out?: Float64Array): Float64Array;
  /** `out = Σ⁻¹ v`, by triangular solves (full) or division (diagonal); Σ⁻¹ is never formed. */
  applyInverse(v: ArrayLike<number>, out?: Float64Array): Float64Array;
  /** `vᵀ Σ v`. */
  quadraticForm(v: ArrayLike<number>): number;
  /** Σ as a dense row-major d×d matrix (for tests and small d). */
  toDense(): Float64Array;
}

/**
 * Build a {@link Covariance} of dimension `dim` from a {@link CovarianceSpec}.
 *
 * @throws {@link InvalidArgumentError} when the spec has none or several of the four fields, a non-positive
 *   σ/variance, a diagonal of the wrong length or with a non-positive entry; `NotPositiveDefiniteError` (from
 *   `@smoothhess/linalg`) when `matrix` is not symmetric positive definite.
 *
 * @example
 * ```ts
 * covariance({ sigma: 0.1 }, 784);           // Σ = 0.01·I
 * covariance({ variance: 0.01 }, 784);       // the same Σ
 * covariance({ diagonal: [0.1, 0.2] }, 2);   // Σ = diag(0.1, 0.2)
 * ```
 */
export function covariance(spec: CovarianceSpec, dim: number, argument = "covariance"): Covariance {
  checkInteger("dim", dim, 1);
  if (typeof spec !== "object" || spec === null) {
    throw new InvalidArgumentError(argument, "an object { sigma } | { variance } | { diagonal } | { matrix }", spec);
  }
  const keys = (["sigma", "variance", "diagonal", "matrix"] as const).filter((k) => k in spec);
  if (keys.length !== 1) {
    throw new InvalidArgumentError(
      argument,
      "exactly one of sigma, variance, diagonal, matrix",
      described(keys.length === 0 ? `an object with keys [${Object.keys(spec).join(", ")}]` : `keys ${keys.join(" and ")}`),
    );
  }
  if ("sigma" in spec) {
    const sigma = checkPositive(`${argument}.sigma`, spec.sigma);
    return new IsotropicCovariance(dim, sigma * sigma);
  }
  if ("variance" in spec) return new IsotropicCovariance(dim, checkPositive(`${argument}.variance`, spec.variance));
  if ("diagonal" in spec) {
    const diagonal = checkFiniteArray(`${argument}.diagonal`, spec.diagonal, dim);
    for (let i = 0; i < dim; i++) {
      if (!(diagonal[i] > 0)) {
        throw new InvalidArgumentError(`${argument}.diagonal`, "variances > 0", described(`${diagonal[i]} at index ${i}`));
      }
    }
    return new DiagonalCovariance(Float64Array.from(diagonal));
  }
  return new FullCovariance(dim, cholesky(spec.matrix, dim, `${argument}.matrix`), Float64Array.from(spec.matrix));
}

class IsotropicCovariance implements Covariance {
  readonly kind = "isotropic";
  private readonly std: number;
  constructor(readonly dim: number, readonly variance: number) {
    this.std = Math.sqrt(variance);
  }
  perturbation(z: ArrayLike<number>, delta: Float64Array, precisionDelta: Float64Array): void {
    const s = this.std, inv = 1 / this.std;
    for (let i = 0; i < this.dim; i++) {
      delta[i] = s * z[i];
      precisionDelta[i] = inv * z[i];
    }
  }
  apply(v: ArrayLike<number>, out: Float64Array = new Float64Array(this.dim)): Float64Array {
    for (let i = 0; i < this.dim; i++) out[i] = this.variance * v[i];
    return out;
  }
  applyInverse(v: ArrayLike<number>, out: Float64Array = new Float64Array(this.dim)): Float64Array {
    for (let i = 0; i < this.dim; i++) out[i] = v[i] / this.variance;
    return out;
  }
  quadraticForm(v: ArrayLike<number>): number {
    let s = 0;
    for (let i = 0; i < this.dim; i++) s += v[i] * v[i];
    return this.variance * s;
  }
  toDense(): Float64Array {
    const out = new Float64Array(this.dim * this.dim);
    for (let i = 0; i < this.dim; i++) out[i * this.dim + i] = this.variance;
    return out;
  }
}

class DiagonalCovariance implements Covariance {
  readonly kind = "diagonal";
  readonly dim: number;
  private readonly std: Float64Array;
  constructor(private readonly variances: Float64Array) {
    this.dim = variances.length;
    this.std = variances.map(Math.sqrt);
  }
  perturbation(z: ArrayLike<number>, delta: Float64Array, precisionDelta: Float64Array): void {
    for (let i = 0; i < this.dim; i++) {
      delta[i] = this.std[i] * z[i];
      precisionDelta[i] = z[i] / this.std[i];
    }
  }
  apply(v: ArrayLike<number>, out: Float64Array = new Float64Array(this.dim)): Float64Array {
    for (let i = 0; i < this.dim; i++) out[i] = this.variances[i] * v[i];
    return out;
  }
  applyInverse(v: ArrayLike<number>, out: Float64Array = new Float64Array(this.dim)): Float64Array {
    for (let i = 0; i < this.dim; i++) out[i] = v[i] / this.variances[i];
    return out;
  }
  quadraticForm(v: ArrayLike<number>): number {
    let s = 0;
    for (let i = 0; i < this.dim; i++) s += this.variances[i] * v[i] * v[i];
    return s;
  }
  toDense(): Float64Array {
    const out = new Float64Array(this.dim * this.dim);
    for (let i = 0; i < this.dim; i++) out[i * this.dim + i] = this.variances[i];
    return out;
  }
}

class FullCovariance implements Covariance {
  readonly kind = "full";
  constructor(readonly dim: number, private readonly lower: Float64Array, private readonly dense: Float64Array) {}
  perturbation(z: ArrayLike<number>, delta: Float64Array, precisionDelta: Float64Array): void {
    lowerMatVec(this.lower, this.dim, z, delta);
    for (let i = 0; i < this.dim; i++) precisionDelta[i] = z[i];
    solveLowerTransposeInPlace(this.lower, this.dim, precisionDelta);
  }
  apply(v: ArrayLike<number>, out: Float64Array = new Float64Array(this.dim)): Float64Array {
    const d = this.dim;
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += this.dense[i * d + j] * v[j];
      out[i] = s;
    }
    return out;
  }
  applyInverse(v: ArrayLike<number>, out: Float64Array = new Float64Array(this.dim)): Float64Array {
    for (let i = 0; i < this.dim; i++) out[i] = v[i];
    solveLowerInPlace(this.lower, this.dim, out);
    return solveLowerTransposeInPlace(this.lower, this.dim, out);
  }
  quadraticForm(v: ArrayLike<number>): number {
    // vᵀ L Lᵀ v = ‖Lᵀ v‖²
    const d = this.dim;
    let s = 0;
    for (let j = 0; j < d; j++) {
      let t = 0;
      for (let i = j; i < d; i++) t += this.lower[i * d + j] * v[i];
      s += t * t;
    }
    return s;
  }
  toDense(): Float64Array {
    return Float64Array.from(this.dense);
  }
}

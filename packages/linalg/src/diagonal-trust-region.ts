/**
 * The trust-region subproblem in an eigenbasis (internal kernel of {@link trustRegionStep}):
 *
 * `min_c Σᵢ γᵢcᵢ + ½ Σᵢ λᵢcᵢ²  subject to  ‖c‖ ≤ r`,
 *
 * solved exactly. Optimality (Moré & Sorensen, 1983): `c` is a global minimiser iff for some `λ* ≥ 0`
 * `(λᵢ + λ*)cᵢ = −γᵢ`, `λᵢ + λ* ≥ 0` for all `i`, and `λ*(‖c‖ − r) = 0`.
 *
 * Everything is computed in the shifted variable `μ = λ* + λ₁` (`λ₁ = minᵢ λᵢ`) with the gaps `δᵢ = λᵢ − λ₁ ≥ 0`
 * formed once, so the denominators `δᵢ + μ = λᵢ + λ*` never suffer the cancellation of `λᵢ + λ*` near the pole
 * `λ* = −λ₁`: a near-hard case (tiny `γ₁`) is solved as accurately as any other.
 * @internal
 */
export interface DiagonalTrustRegionSolution {
  /** The minimiser's coordinates `cᵢ`. */
  readonly coefficients: Float64Array;
  /** The Lagrange multiplier `λ* ≥ 0`. */
  readonly multiplier: number;
  /** Whether the constraint is active (`‖c‖ = r`). */
  readonly onBoundary: boolean;
  /** Whether the hard case occurred: `γ ⟂` the lowest eigenspace, `λ* = −λ₁`, boundary reached along it. */
  readonly hardCase: boolean;
  /** `Σ γᵢcᵢ + ½ Σ λᵢcᵢ²`. */
  readonly objective: number;
  /** Newton iterations spent on the secular equation (0 when it was not needed). */
  readonly iterations: number;
}

/**
 * Solve the diagonal trust-region problem exactly (see {@link DiagonalTrustRegionSolution}).
 *
 * Cases: `γ = 0` or an interior Newton step (`λ₁ > 0`, `‖Λ⁻¹γ‖ ≤ r`: `λ* = 0`); the minimum-norm interior solution
 * when `λ₁ = 0` and `γ` has no component on the null space; the hard case (`λ₁ < 0`, `γ` zero on the lowest
 * eigenspace up to `tolerance·‖γ‖`, `‖p‖ ≤ r` for `p = −(Λ − λ₁)⁺γ`): `c = p + τe₁`; otherwise the root of the
 * secular equation `ψ(μ) = 1/‖c(μ)‖ − 1/r = 0`, found by Newton's method from a lower bound. `ψ` is concave and
 * increasing on the admissible interval, so Newton from the left is monotone and converges quadratically
 * (Moré–Sorensen); a bisection safeguard keeps iterates inside the bracket under rounding.
 *
 * @param lambda - eigenvalues `λᵢ` (any order).
 * @param gamma - gradient coordinates `γᵢ`.
 * @param radius - `r > 0`.
 * @param tolerance - relative tolerance of the hard-case test (eigenvalues within `tolerance·max|λ|` of `λ₁`
 *   form the lowest eigenspace; gradient coordinates below `tolerance·‖γ‖` count as zero there).
 * @internal
 */
export function solveDiagonalTrustRegion(
  lambda: Float64Array,
  gamma: Float64Array,
  radius: number,
  tolerance: number,
): DiagonalTrustRegionSolution {
  const n = lambda.length;
  const c = new Float64Array(n);
  if (n === 0) return { coefficients: c, multiplier: 0, onBoundary: false, hardCase: false, objective: 0, iterations: 0 };

  let lowest = 0;
  let maxAbs = 0;
  let gamma2 = 0;
  for (let i = 0; i < n; i++) {
    if (lambda[i] < lambda[lowest]) lowest = i;
    maxAbs = Math.max(maxAbs, Math.abs(lambda[i]));
    gamma2 += gamma[i] * gamma[i];
  }
  const gammaNorm = Math.sqrt(gamma2);
  const lambda1 = lambda[lowest];
  const gap = new Float64Array(n);
  for (let i = 0; i < n; i++) gap[i] = lambda[i] - lambda1;

  const finish = (mu: number, onBoundary: boolean, hardCase: boolean, iterations: number): DiagonalTrustRegionSolution => {
    let objective = 0;
    for (let i = 0; i < n; i++) objective += gamma[i] * c[i] + 0.5 * lambda[i] * c[i] * c[i];
    return { coefficients: c, multiplier: Math.max(0, mu - lambda1), onBoundary, hardCase, objective, iterations };
  };
  // c(μ) = −γ/(gap + μ); terms with γᵢ = 0 are skipped (their cᵢ is 0 whatever the denominator)
  const fill = (mu: number): void => {
    for (let i = 0; i < n; i++) c[i] = gamma[i] === 0 ? 0 : -gamma[i] / (gap[i] + mu);
  };

  if (lambda1 > 0) {
    // positive definite: the Newton step −Λ⁻¹γ if it fits (μ = λ₁ means λ* = 0)
    if (normAt(gap, gamma, lambda1) <= radius) {
      fill(lambda1);
      return finish(lambda1, false, false, 0);
    }
  } else {
    // λ₁ ≤ 0: if γ vanishes on the lowest eigenspace and p = −(Λ − λ₁)⁺γ fits in the ball, the answer is at μ = 0
    // (λ* = −λ₁): p itself when λ₁ = 0, else p plus a multiple of the lowest eigenvector (the hard case).
    // "Vanishes" is tried twice: up to the tolerance on a numerically lowest eigenspace, then exactly.
    const eigenTolerance = tolerance * maxAbs;
    let gammaOnLowest = 0;
    let exactlyZero = true;
    for (let i = 0; i < n; i++) {
      if (gap[i] <= eigenTolerance) gammaOnLowest = Math.max(gammaOnLowest, Math.abs(gamma[i]));
      if (gap[i] === 0 && gamma[i] !== 0) exactlyZero = false;
    }
    for (const cutoff of [eigenTolerance, 0]) {
      if (cutoff > 0 ? gammaOnLowest > tolerance * gammaNorm : !exactlyZero) continue;
      let p2 = 0;
      for (let i = 0; i < n; i++) {
        if (gap[i] <= cutoff || gamma[i] === 0) {
          c[i] = 0;
        } else {
          c[i] = -gamma[i] / gap[i];
          p2 += c[i] * c[i];
        }
      }
      if (p2 <= radius * radius) {
        if (lambda1 === 0) return finish(0, false, false, 0); // minimum-norm minimiser, λ* = 0
        c[lowest] = Math.sqrt(radius * radius - p2);
        return finish(0, true, c[lowest] > 0, 0);
      }
    }
  }

  // boundary solution: the root μ* > max(0, λ₁) of ‖c(μ)‖ = r
  const muLow = Math.max(0, lambda1);
  let lo = muLow;
  let hi = Math.max(muLow, gammaNorm / radius);
  let mu = muLow;
  for (let i = 0; i < n; i++) if (gamma[i] !== 0) mu = Math.max(mu, Math.abs(gamma[i]) / radius - gap[i]);
  let iterations = 0;
  for (; iterations < 200; iterations++) {
    let s2 = 0;
    let s3 = 0;
    for (let i = 0; i < n; i++) {
      if (gamma[i] === 0) continue;
      const q = gamma[i] / (gap[i] + mu);
      const q2 = q * q;
      s2 += q2;
      s3 += q2 / (gap[i] + mu);
    }
    const phi = Math.sqrt(s2);
    if (phi > radius) lo = mu;
    else hi = mu;
    if (phi === radius || !(s3 > 0) || !Number.isFinite(phi)) break;
    let next = mu + ((phi - radius) * s2) / (radius * s3);
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - mu) <= 2 * Number.EPSILON * Math.max(Math.abs(mu), Number.MIN_VALUE)) {
      mu = next;
      break;
    }
    mu = next;
  }
  fill(mu);
  return finish(mu, true, false, iterations);
}

function normAt(gap: Float64Array, gamma: Float64Array, mu: number): number {
  let s = 0;
  for (let i = 0; i < gap.length; i++) {
    if (gamma[i] === 0) continue;
    const q = gamma[i] / (gap[i] + mu);
    s += q * q;
  }
  return Math.sqrt(s);
}

import { ConvergenceError } from "@smoothhess/linalg";

/**
 * The concave CASO/CAFO problem of the CASO paper (Eq. 5), written as a convex minimisation:
 *
 * `min_Δ F(Δ) = s(Δ) + λ₁‖Δ‖₁`,  `s(Δ) = −gᵀΔ − ½ ΔᵀHΔ + λ₂‖Δ‖²`,  `∇s(Δ) = 2λ₂Δ − g − HΔ`,
 *
 * so that `F = −ℓ̃` (the CASO objective). `s` is strongly convex when `2λ₂ > λ_max(H)` (Theorem 3).
 * @internal
 */
export interface ProximalProblem {
  readonly gradient: Float64Array;
  /** `out = H v`; omitted for `H = 0`. */
  readonly matVec?: (v: Float64Array, out: Float64Array) => Float64Array;
  readonly lambda1: number;
  readonly lambda2: number;
}

/** Settings of {@link proximalGradient}. @internal */
export interface ProximalSettings {
  readonly maxIterations: number;
  readonly tolerance: number;
  readonly stepSize: number;
  readonly decay: number;
}

/** The result of {@link proximalGradient}. @internal */
export interface ProximalResult {
  readonly solution: Float64Array;
  /** `ℓ̃ = −F` at the solution. */
  readonly objective: number;
  /** `ℓ̃(Δ_k)` for `k = 0 … iterations` (`Δ_0 = 0`), non-decreasing. */
  readonly history: Float64Array;
  readonly iterations: number;
  readonly converged: boolean;
  readonly stepSize: number;
}

/**
 * Monotone FISTA (Beck & Teboulle 2009, "MFISTA") with backtracking and function-value restart for
 * {@link ProximalProblem}, from `Δ₀ = 0`.
 *
 * Each iteration takes a proximal-gradient step from the extrapolated point `y`: `z = prox(y − α∇s(y))` with the
 * soft-threshold `prox` of `αλ₁‖·‖₁`, halving `α` (factor `decay`) until the quadratic upper bound
 * `s(z) ≤ s(y) + ∇s(y)ᵀ(z − y) + ‖z − y‖²/(2α)` holds (checked exactly, since `s` is quadratic:
 * `(z−y)ᵀ(2λ₂I − H)(z−y) ≤ ‖z−y‖²/α`). The iterate is `z` if `F(z) ≤ F(Δ_{k−1})`; otherwise the previous iterate is
 * kept and the momentum is restarted (O'Donoghue & Candès 2015), so the objective never gets worse. The test
 * compares `F(z) − F(Δ_{k−1})` computed directly from `z − Δ_{k−1}` (not as a difference of two rounded objective
 * values, which stops resolving progress once steps are ~1e-8 of the iterate). One operator application per step
 * trial: `H` applied to the extrapolated point is formed from earlier products.
 *
 * Stops when `‖z − y‖ ≤ tolerance·‖z‖` (the proximal-gradient residual), when a plain proximal-gradient step no
 * longer decreases `F` (rounding level), or after `maxIterations`.
 * @internal
 */
export function proximalGradient(problem: ProximalProblem, settings: ProximalSettings): ProximalResult {
  const { gradient: g, matVec, lambda1, lambda2 } = problem;
  const d = g.length;
  const apply = (v: Float64Array, out: Float64Array): Float64Array => (matVec ? matVec(v, out) : out.fill(0));

  let x = new Float64Array(d);
  let hx = new Float64Array(d);
  let fx = 0; // F(x), accumulated from exact-form differences F(z) − F(x)
  const y = new Float64Array(d);
  const hy = new Float64Array(d);
  let z = new Float64Array(d);
  let hz = new Float64Array(d);
  const grad = new Float64Array(d);
  const history = [0];
  let t = 1;
  let step = settings.stepSize;
  let converged = false;
  let iterations = 0;

  let restarted = true; // y = x: the next step is a plain proximal-gradient step, which cannot increase F

  for (iterations = 0; iterations < settings.maxIterations; ) {
    for (let i = 0; i < d; i++) grad[i] = 2 * lambda2 * y[i] - g[i] - hy[i];
    let diffNorm2 = 0;
    let zNorm2 = 0;
    for (let trial = 0; ; trial++) {
      const threshold = step * lambda1;
      for (let i = 0; i < d; i++) {
        const v = y[i] - step * grad[i];
        z[i] = v > threshold ? v - threshold : v < -threshold ? v + threshold : 0;
      }
      apply(z, hz);
      diffNorm2 = 0;
      zNorm2 = 0;
      let curvature = 0;
      for (let i = 0; i < d; i++) {
        const diff = z[i] - y[i];
        diffNorm2 += diff * diff;
        zNorm2 += z[i] * z[i];
        curvature += diff * (2 * lambda2 * diff - (hz[i] - hy[i]));
      }
      if (curvature <= (diffNorm2 / step) * (1 + 1e-12) || diffNorm2 === 0) break;
      if (trial >= 200) {
        throw new ConvergenceError("caso", `backtracking reduced the step size to ${step} without sufficient decrease (is H symmetric?)`);
      }
      step *= settings.decay;
    }
    iterations++;
    // F(z) − F(x) in a form without the cancellation of two large objective values (e = z − x, H symmetric):
    // −gᵀe − ½eᵀ(Hz + Hx) + λ₂eᵀ(z + x) + λ₁(‖z‖₁ − ‖x‖₁)
    let change = 0;
    for (let i = 0; i < d; i++) {
      const e = z[i] - x[i];
      change += e * (-g[i] - 0.5 * (hz[i] + hx[i]) + lambda2 * (z[i] + x[i])) + lambda1 * (Math.abs(z[i]) - Math.abs(x[i]));
    }
    const small = diffNorm2 <= settings.tolerance * settings.tolerance * zNorm2;
    if (change <= 0) {
      const tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
      const momentum = (t - 1) / tNext;
      for (let i = 0; i < d; i++) {
        y[i] = z[i] + momentum * (z[i] - x[i]);
        hy[i] = hz[i] + momentum * (hz[i] - hx[i]);
      }
      // the accepted z becomes the iterate; recycle the old iterate's buffers for the next trial point
      [x, z] = [z, x];
      [hx, hz] = [hz, hx];
      fx += change;
      t = tNext;
      restarted = false;
    } else if (restarted) {
      // a plain proximal-gradient step from x that does not decrease F is rounding: x is as good as it gets
      history.push(-fx);
      converged = true;
      break;
    } else {
      y.set(x);
      hy.set(hx);
      t = 1;
      restarted = true;
    }
    history.push(-fx);
    if (small) {
      converged = true;
      break;
    }
  }
  return { solution: x, objective: -fx, history: Float64Array.from(history), iterations, converged, stepSize: step };
}

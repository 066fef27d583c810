import { InvalidArgumentError, checkFiniteArray, checkInteger, checkNumberInRange, checkPositive, described } from "@smoothhess/errors";
import { solveDiagonalTrustRegion } from "./diagonal-trust-region.js";
import type { DenseKernels } from "./kernels/dense-kernels.js";
import { jsKernels } from "./kernels/js-kernels.js";
import { kernelBackend } from "./kernels/kernel-backend.js";
import { createWasmKernels } from "./kernels/wasm-kernels.js";
import { checkSymmetric } from "./matrix-checks.js";
import { uniformGenerator } from "./random.js";
import { symmetricEigenUnchecked } from "./symmetric-eigen.js";
import type { TrustRegionStep } from "./trust-region-step.js";

/** The Hessian of a {@link krylovTrustRegion} problem: dense, or only through products `x ↦ Hx`. */
export interface KrylovTrustRegionProblem {
  /** `g`, length `d`. */
  readonly gradient: ArrayLike<number>;
  /** `H` as a row-major symmetric `d×d` matrix (give this or `matVec`). */
  readonly hessian?: ArrayLike<number>;
  /** `x ↦ Hx` for symmetric `H` (give this or `hessian`); `x` must not be kept or modified. */
  readonly matVec?: (x: Float64Array) => ArrayLike<number>;
}

/** Options of {@link krylovTrustRegion}. */
export interface KrylovTrustRegionOptions {
  /**
   * Relative accuracy (default `1e-10`): a step is accepted when `‖(H + λI)δ + g‖ ≤ tolerance·(‖g‖ + ‖H‖·‖δ‖)` and
   * the lowest Ritz pair's residual is below `√tolerance·‖H‖` relative, so `H + λI ⪰ 0` holds to about that.
   */
  readonly tolerance?: number;
  /** Largest subspace dimension before giving up (default `min(d, 400)`); `d` always converges. */
  readonly maxDimension?: number;
  /** Seed of the random start vector (default 0x7e57). */
  readonly seed?: number;
  /** The hard-case tolerance of the small problem (default `1e-12`, as in `trustRegionStep`). */
  readonly hardCaseTolerance?: number;
}

/** A step from {@link KrylovTrustRegionSolver.solve}. */
export interface KrylovTrustRegionStep extends TrustRegionStep {
  /** Dimension of the subspace the step was found in. */
  readonly dimension: number;
  /** `‖(H + λI)δ + g‖` of the returned step (measured, not estimated). */
  readonly residual: number;
  /** Whether the tolerance was met; `false` only when `maxDimension < d` ran out. */
  readonly converged: boolean;
}

/** A trust-region solver holding one Krylov subspace, reused (and grown) across radii. */
export interface KrylovTrustRegionSolver {
  /** The problem's order. */
  readonly d: number;
  /** Current subspace dimension (Hessian products spent so far). */
  readonly dimension: number;
  /** The step for radius `r > 0`, growing the subspace only as far as this radius needs. */
  solve(radius: number): KrylovTrustRegionStep;
}

/**
 * A Krylov-subspace trust-region solver (Gould, Lucidi, Roma & Toint 1999, "GLTR", in its Lanczos form with full
 * reorthogonalisation) for `min gᵀδ + ½ δᵀHδ s.t. ‖δ‖ ≤ r`, for a dense `H` or one known only through
 * products. The subspace is spanned by the block Krylov sequence of `[g, z]` with a seeded random `z`: `g` makes it
 * the GLTR space, and `z` puts every eigenvector in it, so the lowest eigenvalue is found and the **hard case**
 * (`g ⟂` lowest eigenspace, which the plain Krylov space of `g` never sees) is solved like any other: in the
 * subspace the small projected problem is solved exactly (eigen-decomposition + secular equation, with its own
 * hard-case handling), and the step is accepted only when its full-space KKT residual and the lowest Ritz pair's
 * residual are small. One subspace serves every radius (`solve` can be called repeatedly, and grows the space only
 * when a radius needs more): a warm start for the next radius. Checks happen at dimensions growing by 1.5×, so
 * the small problems cost about as much as the last one.
 *
 * Cost: one product `Hx` per subspace dimension (a symmetric product on the SIMD kernel for a dense `H`), plus
 * `O(m·d)` for the reorthogonalisation of each of `m` basis vectors.
 *
 * @throws {@link InvalidArgumentError} / {@link DimensionMismatchError} for an empty or non-finite gradient, neither or
 *   both of `hessian` and `matVec`, a non-square, asymmetric or non-finite `hessian`, bad options; `matVec`
 *   returning the wrong length or non-finite values (named `matVec`).
 *
 * @example
 * ```ts
 * import { krylovTrustRegion } from "@smoothhess/linalg";
 * const solver = krylovTrustRegion({ gradient: [1, 0], hessian: [-2, 0, 0, 1] });
 * for (const r of [0.25, 0.5, 1]) console.log(r, solver.solve(r).objective);
 * ```
 */
export function krylovTrustRegion(problem: KrylovTrustRegionProblem, options: KrylovTrustRegionOptions = {}): KrylovTrustRegionSolver {
  if (typeof problem !== "object" || problem === null) {
    throw new InvalidArgumentError("problem", "an object { gradient, hessian | matVec }", problem);
  }
  const g = Float64Array.from(checkFiniteArray("gradient", problem.gradient));
  const d = g.length;
  if (d === 0) throw new InvalidArgumentError("gradient", "a non-empty array", described("length 0"));
  const hasDense = problem.hessian !== undefined;
  const hasOperator = problem.matVec !== undefined;
  if (hasDense === hasOperator) {
    throw new InvalidArgumentError(hasDense ? "matVec" : "hessian", "exactly one of `hessian` (a dense matrix) and `matVec`", described(hasDense ? "both" : "neither"));
  }
  if (hasDense) checkSymmetric("hessian", problem.hessian!, d);
  else if (typeof problem.matVec !== "function") throw new InvalidArgumentError("matVec", "a function x ↦ Hx", problem.matVec);
  if (typeof options !== "object" || options === null) throw new InvalidArgumentError("options", "an options object", options);
  const tolerance = options.tolerance === undefined ? 1e-10 : checkNumberInRange("options.tolerance", options.tolerance, 0, 1, { min: true });
  const maxDimension = options.maxDimension === undefined ? Math.min(d, 400) : checkInteger("options.maxDimension", options.maxDimension, 1, d);
  const seed = options.seed === undefined ? 0x7e57 : checkInteger("options.seed", options.seed);
  const hardCaseTolerance =
    options.hardCaseTolerance === undefined ? 1e-12 : checkNumberInRange("options.hardCaseTolerance", options.hardCaseTolerance, 0, 1);
  return new BlockLanczosSolver(g, d, problem, tolerance, maxDimension, seed, hardCaseTolerance);
}

/** Whether `x ↦ Hx` came back usable. */
function checkProduct(value: ArrayLike<number>, d: number): ArrayLike<number> {
  return checkFiniteArray("matVec", value, d);
}

class BlockLanczosSolver implements KrylovTrustRegionSolver {
  readonly d: number;
  private m = 0;
  private expanded = 0;
  private readonly kernels: DenseKernels;
  private readonly lower: Float64Array | null;
  private readonly basis: Float64Array; // rows: orthonormal basis v_i
  private readonly basisT: Float64Array; // d×max: the same, transposed
  private readonly products: Float64Array; // rows: H v_i
  private readonly projected: Float64Array; // max×max: v_iᵀ H v_j
  private readonly scratch: Float64Array;
  private readonly coefficients: Float64Array;
  private readonly random: () => number;
  private readonly gNorm: number;
  private eigenAt = -1;
  private eigen: { values: Float64Array; vectors: Float64Array } | null = null;
  private hNorm = 0;

  constructor(
    private readonly g: Float64Array,
    d: number,
    private readonly problem: KrylovTrustRegionProblem,
    private readonly tolerance: number,
    private readonly maxDimension: number,
    seed: number,
    private readonly hardCaseTolerance: number,
  ) {
    this.d = d;
    this.kernels = (kernelBackend() === "wasm" ? createWasmKernels() : null) ?? jsKernels;
    const dense = problem.hessian !== undefined;
    const max = maxDimension;
    const arrays = this.kernels.workspace([dense ? d * d : 0, max * d, d * max, max * d, max * max, d, max]);
    [this.lower, this.basis, this.basisT, this.products, this.projected, this.scratch, this.coefficients] = arrays;
    if (dense) {
      const h = problem.hessian!;
      for (let i = 0; i < d; i++) for (let j = 0; j <= i; j++) this.lower![i * d + j] = 0.5 * (h[i * d + j] + h[j * d + i]);
    } else {
      this.lower = null;
    }
    this.random = uniformGenerator(seed);
    let s = 0;
    for (let i = 0; i < d; i++) s += g[i] * g[i];
    this.gNorm = Math.sqrt(s);
    if (this.gNorm > 0) this.append(Float64Array.from(g));
    while (this.m < Math.min(2, maxDimension)) this.append(this.randomVector());
  }

  get dimension(): number {
    return this.m;
  }

  solve(radius: number): KrylovTrustRegionStep {
    checkPositive("radius", radius);
    let step = this.solveProjected(radius);
    while (!step.converged && this.m < this.maxDimension) {
      const target = Math.min(this.maxDimension, Math.max(this.m + 4, Math.ceil(this.m * 1.5)));
      while (this.m < target) this.extend();
      step = this.solveProjected(radius);
    }
    return step;
  }

  /** The next basis vector: `H` times the oldest unexpanded one (block Lanczos order), or a fresh random vector. */
  private extend(): void {
    while (this.expanded < this.m) {
      const i = this.expanded++;
      if (this.append(Float64Array.from(this.products.subarray(i * this.d, (i + 1) * this.d)))) return;
    }
    while (!this.append(this.randomVector()));
  }

  private randomVector(): Float64Array {
    const x = new Float64Array(this.d);
    for (let i = 0; i < this.d; i++) x[i] = this.random() - 0.5;
    return x;
  }

  /** Orthogonalise `w` against the basis (twice), append it with its product; `false` if nothing new was left. */
  private append(w: Float64Array): boolean {
    const { d, m, kernels, basis, basisT, coefficients, scratch } = this;
    if (m >= this.maxDimension) return false;
    let before = 0;
    for (let i = 0; i < d; i++) before += w[i] * w[i];
    before = Math.sqrt(before);
    if (before === 0) return false;
    scratch.set(w);
    for (let pass = 0; pass < 2 && m > 0; pass++) {
      coefficients.fill(0, 0, m);
      kernels.gemm(1, m, d, 1, scratch, 0, d, basisT, 0, this.maxDimension, coefficients, 0, m);
      kernels.gemm(1, d, m, -1, coefficients, 0, m, basis, 0, d, scratch, 0, d);
    }
    let after = 0;
    for (let i = 0; i < d; i++) after += scratch[i] * scratch[i];
    after = Math.sqrt(after);
    if (!(after > 1e-8 * before)) return false;
    const row = m * d;
    for (let i = 0; i < d; i++) {
      const v = scratch[i] / after;
      basis[row + i] = v;
      basisT[i * this.maxDimension + m] = v;
    }
    this.multiply(m);
    // new row/column of the projected matrix: v_iᵀ H v_m
    const { products, projected } = this;
    coefficients.fill(0, 0, m + 1);
    kernels.gemm(1, m + 1, d, 1, products, row, d, basisT, 0, this.maxDimension, coefficients, 0, m + 1);
    const max = this.maxDimension;
    for (let i = 0; i <= m; i++) {
      projected[i * max + m] = coefficients[i];
      projected[m * max + i] = coefficients[i];
    }
    this.m = m + 1;
    return true;
  }

  /** `products[i] = H basis[i]`. */
  private multiply(i: number): void {
    const { d } = this;
    const x = this.basis.subarray(i * d, (i + 1) * d);
    if (this.lower) {
      this.kernels.symvLower(d, this.lower, 0, d, this.basis, i * d, this.products, i * d);
      return;
    }
    const y = checkProduct(this.problem.matVec!(Float64Array.from(x)), d);
    for (let t = 0; t < d; t++) this.products[i * d + t] = y[t];
  }

  /** Solve the projected problem at the current dimension and measure the step in the full space. */
  private solveProjected(radius: number): KrylovTrustRegionStep {
    const { d, m, kernels } = this;
    const max = this.maxDimension;
    if (this.eigenAt !== m) {
      const p = new Float64Array(m * m);
      for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) p[i * m + j] = this.projected[i * max + j];
      const e = symmetricEigenUnchecked(p, m, "ascending", m);
      this.eigen = { values: e.values, vectors: e.vectors };
      this.eigenAt = m;
      this.hNorm = Math.max(Math.abs(e.values[0]), Math.abs(e.values[m - 1]));
    }
    const { values, vectors } = this.eigen!;
    // g = ‖g‖ v₀ when g ≠ 0: its coordinates in the Ritz basis are ‖g‖ times the first components
    const gamma = new Float64Array(m);
    if (this.gNorm > 0) for (let j = 0; j < m; j++) gamma[j] = this.gNorm * vectors[j * m];
    const solution = solveDiagonalTrustRegion(values, gamma, radius, this.hardCaseTolerance);
    const c = solution.coefficients;
    // y = Σ c_j w_j (subspace coordinates), δ = Vᵀy, Hδ = (HV)ᵀy
    const y = new Float64Array(m);
    for (let j = 0; j < m; j++) {
      const f = c[j];
      if (f === 0) continue;
      for (let i = 0; i < m; i++) y[i] += f * vectors[j * m + i];
    }
    const [step, hStep] = [new Float64Array(d), new Float64Array(d)];
    kernels.gemm(1, d, m, 1, y, 0, m, this.basis, 0, d, step, 0, d);
    kernels.gemm(1, d, m, 1, y, 0, m, this.products, 0, d, hStep, 0, d);
    let r2 = 0;
    let s2 = 0;
    for (let i = 0; i < d; i++) {
      const r = hStep[i] + solution.multiplier * step[i] + this.g[i];
      r2 += r * r;
      s2 += step[i] * step[i];
    }
    const residual = Math.sqrt(r2);
    const stepNorm = Math.sqrt(s2);
    const scale = this.gNorm + this.hNorm * stepNorm;
    let converged = m >= d || residual <= this.tolerance * (scale || 1);
    if (converged && m < d) {
      // the lowest Ritz pair must be an eigenpair of H (to √tolerance), else H + λI ⪰ 0 is not certified
      const w = vectors.subarray(0, m);
      const u = new Float64Array(d);
      const hu = new Float64Array(d);
      kernels.gemm(1, d, m, 1, w, 0, m, this.basis, 0, d, u, 0, d);
      kernels.gemm(1, d, m, 1, w, 0, m, this.products, 0, d, hu, 0, d);
      let e2 = 0;
      for (let i = 0; i < d; i++) {
        const r = hu[i] - values[0] * u[i];
        e2 += r * r;
      }
      converged = Math.sqrt(e2) <= Math.sqrt(this.tolerance) * (this.hNorm || 1) * 1e-3;
    }
    // objective measured in the full space (the subspace value is the same up to rounding)
    let objective = 0;
    for (let i = 0; i < d; i++) objective += this.g[i] * step[i] + 0.5 * step[i] * hStep[i];
    return {
      step,
      objective,
      multiplier: solution.multiplier,
      onBoundary: solution.onBoundary,
      hardCase: solution.hardCase,
      dimension: m,
      residual,
      converged,
    };
  }
}

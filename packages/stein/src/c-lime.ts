import { CholeskyDecomposition, Matrix } from "ml-matrix";
import { InvalidArgumentError } from "@smoothhess/errors";
import { SingularDesignError } from "./singular-design-error.js";
import { addTransposedProduct } from "@smoothhess/linalg";
import type { ValueOracle } from "@smoothhess/oracle";
import { valueUnitBlocks, type PassSummary } from "./gradient-pass.js";
import { resolveSteinOptions, type SteinOptions } from "./stein-options.js";

/** What {@link cLime} returns. */
export interface CLimeResult {
  /** Input dimension d. */
  readonly dim: number;
  /** Least-squares weights of the local linear model, one per feature. */
  readonly coefficients: Float64Array;
  /** Intercept of the local linear model, fitted on δ = x − x₀ (so it estimates f near x₀). */
  readonly intercept: number;
  /** Perturbed points fitted. */
  readonly samples: number;
  /** Points the oracle evaluated. */
  readonly oracleCalls: number;
}

/**
 * **C-LIME** (Agarwal et al. 2021, Sec. 2.3): LIME for continuous features with Gaussian perturbations
 * x ~ N(x₀, Σ), unit weights and no regulariser, i.e. ordinary least squares of f(x) on [1, x − x₀].
 * Theorem 1 of that paper: in expectation its coefficients equal SmoothGrad with the same Σ.
 *
 * Perturbations are independent by default (`antithetic: false`); `controlVariate` is ignored (the intercept
 * absorbs any constant). Needs at least d + 1 samples; the normal equations are solved by Cholesky (ml-matrix).
 *
 * @throws `InvalidArgumentError` for `samples ≤ d`, plus the errors of `smoothHess`; {@link SingularDesignError}
 *   (code `"singular-design"`) if the sampled design is rank deficient.
 */
export async function cLime(oracle: ValueOracle, x0: ArrayLike<number>, options: SteinOptions): Promise<CLimeResult> {
  const resolved = resolveSteinOptions(oracle, x0, { antithetic: false, ...options, controlVariate: false });
  const d = resolved.x0.length;
  if (resolved.samples <= d) {
    throw new InvalidArgumentError("options.samples", `more than d = ${d} samples to fit d + 1 parameters`, resolved.samples);
  }
  const p = d + 1;
  const gram = new Float64Array(p * p);
  const moment = new Float64Array(p);
  const summary: PassSummary = { oracleCalls: 0 };
  let design = new Float64Array(0);
  for await (const block of valueUnitBlocks(oracle, resolved, "cLime", summary)) {
    const n = block.pointCount;
    if (design.length < n * p) design = new Float64Array(n * p);
    // Fit the raw values at each evaluated point: rows [1, x − x₀].
    const y = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      design[r * p] = 1;
      for (let i = 0; i < d; i++) design[r * p + 1 + i] = block.points[r * d + i] - resolved.x0[i];
    }
    fillRawValues(block, resolved.pointsPerUnit, y);
    addTransposedProduct(gram, design, design, n, p, p);
    addTransposedProduct(moment, design, y, n, p, 1);
  }
  const rows: number[][] = [];
  for (let i = 0; i < p; i++) rows.push(Array.from(gram.subarray(i * p, (i + 1) * p)));
  const decomposition = new CholeskyDecomposition(new Matrix(rows));
  if (!decomposition.isPositiveDefinite()) {
    throw new SingularDesignError("cLime", "use more samples or a larger covariance");
  }
  const solution = decomposition.solve(Matrix.columnVector(Array.from(moment))).to1DArray();
  return {
    dim: d,
    coefficients: Float64Array.from(solution.slice(1)),
    intercept: solution[0],
    samples: resolved.samples,
    oracleCalls: summary.oracleCalls,
  };
}

/** Recover per-point values from a value block (antithetic blocks store pair sums and differences). */
function fillRawValues(block: { odd: Float64Array; values: Float64Array; units: number }, pointsPerUnit: number, y: Float64Array): void {
  if (pointsPerUnit === 1) {
    y.set(block.values.subarray(0, block.units));
    return;
  }
  for (let u = 0; u < block.units; u++) {
    y[2 * u] = block.values[u] + block.odd[u];
    y[2 * u + 1] = block.values[u] - block.odd[u];
  }
}

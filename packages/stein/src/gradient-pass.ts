import { OracleOutputError, checkedOracle, type GradientBatch, type GradientOracle, type ValueOracle } from "@smoothhess/oracle";
import { ACCUMULATION_POINTS, fixedUnitBlocks, type UnitRows } from "./accumulation-blocks.js";
import { evaluatedBlocks } from "./evaluated-blocks.js";
import { takesFloat32Points } from "./oracle-capabilities.js";
import type { PerturbationBlock } from "./perturbation-blocks.js";
import type { ResolvedSteinOptions } from "./stein-options.js";
import type { VectorMoments } from "./vector-moments.js";

/** A block of Monte-Carlo units with the oracle's answers folded into per-unit quantities. */
export interface GradientUnitBlock {
  /** Units in this block (pairs when antithetic, single samples otherwise). */
  readonly units: number;
  /** Row u is Σ⁻¹δᵤ (units×d). */
  readonly white: Float64Array;
  /**
   * Row u is the unit's gradient term dᵤ of the Hessian estimator `mean(Σ⁻¹δ dᵀ)`:
   * antithetic `(∇f(x₀+δ) − ∇f(x₀−δ))/2`; otherwise `∇f(x₀+δ)`, minus `∇f(x₀)` with the control variate.
   */
  readonly diff: Float64Array;
  /** The unit's value average (antithetic `(f(x₀+δ) + f(x₀−δ))/2`, else `f(x₀+δ)`). */
  readonly values: Float64Array;
  /** The unit's `‖sym(wᵤdᵤᵀ)‖²_F = ½(‖wᵤ‖²‖dᵤ‖² + (wᵤ·dᵤ)²)` with wᵤ = Σ⁻¹δᵤ, for the Hessian's standard error. */
  readonly frobenius: Float64Array;
}

/** Where a pass ended: oracle cost and the control point (when one was evaluated). */
export interface PassSummary {
  /** Points the oracle evaluated, including the control point. */
  oracleCalls: number;
}

/**
 * Run the gradient oracle over all perturbation blocks and fold the answers into per-unit terms, in float64
 * whatever precision the oracle returns; the units' gradient averages (antithetic `(∇f(x₀+δ) + ∇f(x₀−δ))/2`, else
 * `∇f(x₀+δ)`) go straight into `gradient`, in unit order. The oracle sees batches of `batchSize` points; the
 * blocks yielded here have fixed boundaries (`ACCUMULATION_POINTS` points each, the last one shorter), so whatever
 * the caller sums per block does not depend on the batch size, to the last bit.
 *
 * The oracle's answers are checked as `checkedOracle` of `@smoothhess/oracle` checks them (shapes, finite values
 * and gradients, the same `OracleOutputError`s), with the gradients' check folded into the pass over them.
 */
export async function* gradientUnitBlocks(
  oracle: GradientOracle,
  options: ResolvedSteinOptions,
  what: string,
  summary: PassSummary,
  gradient: VectorMoments,
): AsyncGenerator<GradientUnitBlock> {
  const d = options.x0.length;
  const runs = async function* (): AsyncGenerator<UnitRows<"white" | "diff" | "values" | "frobenius">> {
    for await (const block of oracleGradientBlocks(oracle, options, what, summary, gradient)) {
      const { white, diff, values, frobenius } = block;
      yield { units: block.units, rows: { white, diff, values, frobenius } };
    }
  };
  const widths = { white: d, diff: d, values: 1, frobenius: 1 };
  for await (const run of fixedUnitBlocks(runs(), ACCUMULATION_POINTS / options.pointsPerUnit, options.units, widths)) {
    yield { units: run.units, ...run.rows };
  }
}

/** {@link gradientUnitBlocks} before the blocks are re-cut: one block per oracle batch. */
async function* oracleGradientBlocks(
  oracle: GradientOracle,
  options: ResolvedSteinOptions,
  what: string,
  summary: PassSummary,
  moments: VectorMoments,
): AsyncGenerator<GradientUnitBlock> {
  const d = options.x0.length;
  const ppu = options.pointsPerUnit;
  let batch = 0; // calls made, numbered as checkedOracle numbers them in its errors
  let control: Float64Array | undefined;
  if (options.controlVariate) {
    const answer = await checkedOracle(oracle).evaluate(options.x0, 1);
    control = Float64Array.from(answer.gradients);
    summary.oracleCalls += 1;
    batch++;
  }
  let diff = new Float64Array(0), values = new Float64Array(0), frobenius = new Float64Array(0);
  const { shift, sum, sumSquares } = moments;
  const evaluate = (block: PerturbationBlock) => oracle.evaluate(block.points, block.pointCount);
  for await (const { block, answer } of evaluatedBlocks(options, what, evaluate, takesFloat32Points(oracle))) {
    const index = batch++;
    const m = block.units, n = block.pointCount;
    checkAnswerShape(answer, n, d, index);
    const g = answer.gradients;
    const f = answer.values;
    if (diff.length < m * d) {
      diff = new Float64Array(m * d);
      values = new Float64Array(m);
      frobenius = new Float64Array(m);
    }
    summary.oracleCalls += n;
    const white = block.white;
    if (moments.count === 0 && m > 0) {
      for (let i = 0; i < d; i++) shift[i] = ppu === 2 ? 0.5 * (g[i] + g[d + i]) : g[i];
    }
    // One pass per unit computes its terms, adds its average to the moments and sums ‖w‖², ‖d‖², w·d. The
    // arithmetic per entry is exactly that of separate passes; the branches are taken outside the inner loops.
    for (let u = 0; u < m; u++) {
      const first = ppu * u * d, second = first + d, row = u * d;
      let ww = 0, gg = 0, wg = 0;
      if (ppu === 2 && control) {
        for (let i = 0; i < d; i++) {
          const a = g[first + i], b = g[second + i], c = control[i], w = white[row + i];
          const t = 0.5 * (a - c - (b - c)), x = 0.5 * (a + b) - shift[i];
          diff[row + i] = t;
          sum[i] += x;
          sumSquares[i] += x * x;
          ww += w * w;
          gg += t * t;
          wg += w * t;
        }
      } else if (ppu === 2) {
        for (let i = 0; i < d; i++) {
          const a = g[first + i], b = g[second + i], w = white[row + i];
          const t = 0.5 * (a - b), x = 0.5 * (a + b) - shift[i];
          diff[row + i] = t;
          sum[i] += x;
          sumSquares[i] += x * x;
          ww += w * w;
          gg += t * t;
          wg += w * t;
        }
      } else if (control) {
        for (let i = 0; i < d; i++) {
          const a = g[first + i], w = white[row + i];
          const t = a - control[i], x = a - shift[i];
          diff[row + i] = t;
          sum[i] += x;
          sumSquares[i] += x * x;
          ww += w * w;
          gg += t * t;
          wg += w * t;
        }
      } else {
        for (let i = 0; i < d; i++) {
          const a = g[first + i], w = white[row + i];
          const x = a - shift[i];
          diff[row + i] = a;
          sum[i] += x;
          sumSquares[i] += x * x;
          ww += w * w;
          gg += a * a;
          wg += w * a;
        }
      }
      // A non-finite gradient entry makes its unit's term non-finite, so ‖d‖² flags it (as may an overflow of
      // ‖d‖² from finite entries; the scan then finds nothing and the pass goes on).
      if (!Number.isFinite(gg)) checkFiniteGradients(g, first, ppu * d, d, index);
      values[u] = ppu === 2 ? 0.5 * (f[2 * u] + f[2 * u + 1]) : f[u];
      frobenius[u] = 0.5 * (ww * gg + wg * wg);
    }
    moments.count += m;
    yield { units: m, white, diff: diff.subarray(0, m * d), values: values.subarray(0, m), frobenius: frobenius.subarray(0, m) };
  }
}

/** The shape and value checks of `checkedOracle` for one answer of `n` points (the gradients are checked in the pass). */
function checkAnswerShape(answer: Partial<GradientBatch> | undefined, n: number, d: number, index: number): asserts answer is GradientBatch {
  const values = answer?.values;
  if (!values || values.length !== n) {
    throw new OracleOutputError(index, -1, `expected values of length ${n}, received ${values ? `length ${values.length}` : "none"}`);
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(values[i])) throw new OracleOutputError(index, i, `value of point ${i} is ${values[i]}`);
  }
  const gradients = answer.gradients;
  if (!gradients || gradients.length !== n * d) {
    throw new OracleOutputError(index, -1, `expected gradients of length n·dim = ${n * d}, received ${gradients ? `length ${gradients.length}` : "none"}`);
  }
}

/** Throw `checkedOracle`'s error for the first non-finite entry of `gradients[from, from + length)`, if any. */
function checkFiniteGradients(gradients: ArrayLike<number>, from: number, length: number, d: number, index: number): void {
  for (let k = from; k < from + length; k++) {
    if (!Number.isFinite(gradients[k])) {
      const i = Math.floor(k / d);
      throw new OracleOutputError(index, i, `gradient of point ${i} is ${gradients[k]} at coordinate ${k - i * d}`);
    }
  }
}

/** A block of Monte-Carlo units for value-only (zeroth-order) estimators. */
export interface ValueUnitBlock extends PerturbationBlock {
  /** The points, in float64 (C-LIME fits them). */
  readonly points: Float64Array;
  /** Antithetic `(f(x₀+δ) − f(x₀−δ))/2`; otherwise `f(x₀+δ)` minus `f(x₀)` with the control variate. */
  readonly odd: Float64Array;
  /** Antithetic `(f(x₀+δ) + f(x₀−δ))/2`; otherwise `f(x₀+δ)`; minus `f(x₀)` with the control variate. */
  readonly even: Float64Array;
  /** The unit's raw value average (antithetic `(f(x₀+δ) + f(x₀−δ))/2`, else `f(x₀+δ)`). */
  readonly values: Float64Array;
}

/**
 * Run a value oracle over all perturbation blocks, folding answers into odd/even unit terms. Like
 * {@link gradientUnitBlocks}, the yielded blocks have fixed boundaries whatever the batch size.
 */
export async function* valueUnitBlocks(
  oracle: ValueOracle,
  options: ResolvedSteinOptions,
  what: string,
  summary: PassSummary,
): AsyncGenerator<ValueUnitBlock> {
  const d = options.x0.length;
  const ppu = options.pointsPerUnit;
  const runs = async function* (): AsyncGenerator<UnitRows<"white" | "points" | "odd" | "even" | "values">> {
    for await (const block of oracleValueBlocks(oracle, options, what, summary)) {
      const { white, points, odd, even, values } = block;
      yield { units: block.units, rows: { white, points, odd, even, values } };
    }
  };
  const widths = { white: d, points: ppu * d, odd: 1, even: 1, values: 1 };
  for await (const run of fixedUnitBlocks(runs(), ACCUMULATION_POINTS / ppu, options.units, widths)) {
    yield { units: run.units, pointCount: run.units * ppu, ...run.rows };
  }
}

/** {@link valueUnitBlocks} before the blocks are re-cut: one block per oracle batch. */
async function* oracleValueBlocks(
  oracle: ValueOracle,
  options: ResolvedSteinOptions,
  what: string,
  summary: PassSummary,
): AsyncGenerator<ValueUnitBlock> {
  const checked = checkedOracle(oracle, { gradients: false });
  let control = 0;
  if (options.controlVariate) {
    control = (await checked.evaluate(options.x0, 1)).values[0];
    summary.oracleCalls += 1;
  }
  let odd = new Float64Array(0), even = new Float64Array(0), values = new Float64Array(0);
  for await (const { block, answer } of evaluatedBlocks(options, what, (b) => checked.evaluate(b.points, b.pointCount))) {
    const m = block.units;
    if (odd.length < m) {
      odd = new Float64Array(m);
      even = new Float64Array(m);
      values = new Float64Array(m);
    }
    const f = answer.values;
    summary.oracleCalls += block.pointCount;
    for (let u = 0; u < m; u++) {
      if (options.pointsPerUnit === 2) {
        const a = f[2 * u], b = f[2 * u + 1];
        odd[u] = 0.5 * (a - control - (b - control));
        values[u] = 0.5 * (a + b);
      } else {
        odd[u] = f[u] - control;
        values[u] = f[u];
      }
      even[u] = values[u] - control;
    }
    // evaluatedBlocks was not asked for float32 points here, so they are float64.
    yield { ...block, points: block.points as Float64Array, odd: odd.subarray(0, m), even: even.subarray(0, m), values: values.subarray(0, m) };
  }
}

import { checkedOracle, type GradientOracle, type ValueOracle } from "@smoothhess/oracle";
import { ACCUMULATION_POINTS, fixedUnitBlocks, type UnitRows } from "./accumulation-blocks.js";
import { evaluatedBlocks } from "./evaluated-blocks.js";
import type { PerturbationBlock } from "./perturbation-blocks.js";
import type { ResolvedSteinOptions } from "./stein-options.js";

/** A block of Monte-Carlo units with the oracle's answers folded into per-unit quantities. */
export interface GradientUnitBlock extends PerturbationBlock {
  /**
   * Row u is the unit's gradient term dᵤ of the Hessian estimator `mean(Σ⁻¹δ dᵀ)`:
   * antithetic `(∇f(x₀+δ) − ∇f(x₀−δ))/2`; otherwise `∇f(x₀+δ)`, minus `∇f(x₀)` with the control variate.
   */
  readonly diff: Float64Array;
  /** Row u is the unit's gradient average (antithetic `(∇f(x₀+δ) + ∇f(x₀−δ))/2`, else `∇f(x₀+δ)`). */
  readonly average: Float64Array;
  /** The unit's value average (antithetic `(f(x₀+δ) + f(x₀−δ))/2`, else `f(x₀+δ)`). */
  readonly values: Float64Array;
}

/** Where a pass ended: oracle cost and the control point (when one was evaluated). */
export interface PassSummary {
  /** Points the oracle evaluated, including the control point. */
  oracleCalls: number;
}

/**
 * Run the gradient oracle over all perturbation blocks and fold the answers into per-unit terms, in float64
 * whatever precision the oracle returns. The oracle sees batches of `batchSize` points; the blocks yielded here
 * have fixed boundaries (`ACCUMULATION_POINTS` points each, the last one shorter), so whatever the caller sums
 * per block does not depend on the batch size, to the last bit.
 */
export async function* gradientUnitBlocks(
  oracle: GradientOracle,
  options: ResolvedSteinOptions,
  what: string,
  summary: PassSummary,
): AsyncGenerator<GradientUnitBlock> {
  const d = options.x0.length;
  const ppu = options.pointsPerUnit;
  const runs = async function* (): AsyncGenerator<UnitRows<"white" | "points" | "diff" | "average" | "values">> {
    for await (const block of oracleGradientBlocks(oracle, options, what, summary)) {
      const { white, points, diff, average, values } = block;
      yield { units: block.units, rows: { white, points, diff, average, values } };
    }
  };
  const widths = { white: d, points: ppu * d, diff: d, average: d, values: 1 };
  for await (const run of fixedUnitBlocks(runs(), ACCUMULATION_POINTS / ppu, options.units, widths)) {
    yield { units: run.units, pointCount: run.units * ppu, ...run.rows };
  }
}

/** {@link gradientUnitBlocks} before the blocks are re-cut: one block per oracle batch. */
async function* oracleGradientBlocks(
  oracle: GradientOracle,
  options: ResolvedSteinOptions,
  what: string,
  summary: PassSummary,
): AsyncGenerator<GradientUnitBlock> {
  const checked = checkedOracle(oracle);
  const d = options.x0.length;
  let control: Float64Array | undefined;
  if (options.controlVariate) {
    const answer = await checked.evaluate(options.x0, 1);
    control = Float64Array.from(answer.gradients);
    summary.oracleCalls += 1;
  }
  let diff = new Float64Array(0), average = new Float64Array(0), values = new Float64Array(0);
  for await (const { block, answer } of evaluatedBlocks(options, what, (b) => checked.evaluate(b.points, b.pointCount))) {
    const m = block.units;
    if (diff.length < m * d) {
      diff = new Float64Array(m * d);
      average = new Float64Array(m * d);
      values = new Float64Array(m);
    }
    summary.oracleCalls += block.pointCount;
    const g = answer.gradients;
    const f = answer.values;
    // The control-variate branch is taken outside the loops; the arithmetic per entry is the same either way.
    if (options.pointsPerUnit === 2) {
      for (let u = 0; u < m; u++) {
        const plus = 2 * u * d, minus = plus + d, row = u * d;
        if (control) {
          for (let i = 0; i < d; i++) {
            const a = g[plus + i], b = g[minus + i], c = control[i];
            diff[row + i] = 0.5 * (a - c - (b - c));
            average[row + i] = 0.5 * (a + b);
          }
        } else {
          for (let i = 0; i < d; i++) {
            const a = g[plus + i], b = g[minus + i];
            diff[row + i] = 0.5 * (a - b);
            average[row + i] = 0.5 * (a + b);
          }
        }
        values[u] = 0.5 * (f[2 * u] + f[2 * u + 1]);
      }
    } else {
      for (let u = 0; u < m; u++) {
        const row = u * d;
        if (control) {
          for (let i = 0; i < d; i++) {
            const a = g[row + i];
            diff[row + i] = a - control[i];
            average[row + i] = a;
          }
        } else {
          for (let i = 0; i < d; i++) {
            const a = g[row + i];
            diff[row + i] = a;
            average[row + i] = a;
          }
        }
        values[u] = f[u];
      }
    }
    yield { ...block, diff: diff.subarray(0, m * d), average: average.subarray(0, m * d), values: values.subarray(0, m) };
  }
}

/** A block of Monte-Carlo units for value-only (zeroth-order) estimators. */
export interface ValueUnitBlock extends PerturbationBlock {
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
    yield { ...block, odd: odd.subarray(0, m), even: even.subarray(0, m), values: values.subarray(0, m) };
  }
}

import { nestedInteractionsSmoothedHessianAtOrigin } from "@smoothhess/datasets";
import { bisectLog, firstCrossingLog } from "@smoothhess/metrics";
import type { SmoothHessRow, SoftplusRow } from "./results.js";
import { COMPARISON_FROM, ENTRIES, IN_DATA_SIGMA2, TOLERANCE, type Entry } from "./config.js";

/** The exact Hessian entries of the Gaussian-smoothed Nested Interactions target at the origin. */
export function truthAt(sigma2: number): Record<Entry, number> {
  const h = nestedInteractionsSmoothedHessianAtOrigin(sigma2);
  return { h11: h[0], h12: h[1], h22: h[3] };
}

/** The numbers behind the report: agreement with the smoothed target, by decade and overall, and transitions. */
export interface NestedSummary {
  /** Per decade of σ²: the largest |SmoothHess − exact smoothed target| per entry and the median standard error of H₁₂. */
  readonly byDecade: readonly {
    readonly log10From: number;
    readonly points: number;
    readonly maxError: Record<Entry, number>;
    readonly medianH12StandardError: number;
  }[];
  /** σ² ∈ [1e-4, 0.5]: share of grid points where all three SmoothHess entries are within ±0.25 of the target. */
  readonly smoothHessShareWithinTolerance: number;
  /**
   * The smallest grid σ² from which SmoothHess stays within ±0.25 of the target (all three entries) at every grid
   * point up to σ² = 0.5 (null when it misses already at the largest one).
   */
  readonly agreementFrom: number | null;
  /** The same band start for each entry on its own. */
  readonly agreementFromByEntry: Record<Entry, number | null>;
  /** The largest standard error of any entry at the grid points in [1e-4, 0.5] that miss the tolerance (0 if none). */
  readonly largestStandardErrorWhereMissing: number;
  /** The same σ² points: share where *some* β of the sweep brings all three SoftPlus entries within ±0.25 of the target. */
  readonly softplusShareWithinTolerance: number;
  /** Where H₁₁ first falls through 0.5 and H₁₂ through −2 (midway from 1 to −5), scanning upwards from σ² = 1e-3. */
  readonly transitions: {
    readonly h11Half: { readonly smoothHess: number | null; readonly target: number };
    readonly h12Midway: { readonly smoothHess: number | null; readonly target: number };
  };
  /** Range of each SoftPlus entry over β ≥ 100 (little smoothing: the hyper-local end of the sweep). */
  readonly softplusLargeBetaRange: Record<Entry, { readonly min: number; readonly max: number }>;
  /** Range of each SmoothHess entry over the grid points in [1e-4, 0.5] that miss the tolerance (null if none). */
  readonly missingRange: Record<Entry, { readonly min: number; readonly max: number }> | null;
  /** Range of the exact smoothed target's entries at those grid points (null if none). */
  readonly missingTargetRange: Record<Entry, { readonly min: number; readonly max: number }> | null;
  /** Range of each SoftPlus entry over the β grid. */
  readonly softplusRange: Record<Entry, { readonly min: number; readonly max: number }>;
  /** Range of each SmoothHess entry over σ² ∈ [1e-4, 0.5]. */
  readonly smoothHessRange: Record<Entry, { readonly min: number; readonly max: number }>;
}

/** Compare the sweeps with the exact smoothed target (exported for tests). */
export function summariseNested(sh: readonly SmoothHessRow[], sp: readonly SoftplusRow[]): NestedSummary {
  const decades = new Map<number, SmoothHessRow[]>();
  for (const row of sh) {
    const decade = Math.floor(Math.log10(row.sigma2) + 1e-9);
    decades.set(decade, [...(decades.get(decade) ?? []), row]);
  }
  const byDecade = [...decades.entries()].map(([log10From, rows]) => {
    const maxError = Object.fromEntries(ENTRIES.map((e) => [e, Math.max(...rows.map((r) => Math.abs(r[e] - truthAt(r.sigma2)[e])))])) as Record<Entry, number>;
    const se = rows.map((r) => r.h12StandardError).sort((a, b) => a - b);
    return { log10From, points: rows.length, maxError, medianH12StandardError: se[Math.floor((se.length - 1) / 2)] };
  });
  const compared = sh.filter((r) => r.sigma2 >= COMPARISON_FROM * (1 - 1e-9) && r.sigma2 <= IN_DATA_SIGMA2);
  const within = (h: Record<Entry, number>, t: Record<Entry, number>) => ENTRIES.every((e) => Math.abs(h[e] - t[e]) <= TOLERANCE);
  const share = (hits: number) => (compared.length === 0 ? 0 : hits / compared.length);
  const smoothHessShareWithinTolerance = share(compared.filter((r) => within(r, truthAt(r.sigma2))).length);
  const softplusShareWithinTolerance = share(compared.filter((r) => sp.some((s) => within(s, truthAt(r.sigma2)))).length);
  const bandFrom = (ok: (r: SmoothHessRow) => boolean) => {
    let from: number | null = null;
    for (let i = compared.length - 1; i >= 0 && ok(compared[i]); i--) from = compared[i].sigma2;
    return from;
  };
  const agreementFrom = bandFrom((r) => within(r, truthAt(r.sigma2)));
  const agreementFromByEntry = Object.fromEntries(
    ENTRIES.map((e) => [e, bandFrom((r) => Math.abs(r[e] - truthAt(r.sigma2)[e]) <= TOLERANCE)]),
  ) as Record<Entry, number | null>;
  const missing = compared.filter((r) => !within(r, truthAt(r.sigma2)));
  const largestStandardErrorWhereMissing = Math.max(0, ...missing.map((r) => Math.max(r.h11StandardError, r.h12StandardError, r.h22StandardError)));
  const xs = sh.map((r) => r.sigma2);
  const range = <R extends Record<Entry, number>>(rows: readonly R[]) =>
    Object.fromEntries(ENTRIES.map((e) => [e, { min: Math.min(...rows.map((r) => r[e])), max: Math.max(...rows.map((r) => r[e])) }])) as Record<
      Entry,
      { min: number; max: number }
    >;
  return {
    byDecade,
    smoothHessShareWithinTolerance,
    agreementFrom,
    agreementFromByEntry,
    largestStandardErrorWhereMissing,
    softplusShareWithinTolerance,
    transitions: {
      h11Half: { smoothHess: firstCrossingLog(xs, sh.map((r) => r.h11), 0.5, { from: 1e-3, direction: "falling" }), target: bisectLog((s) => truthAt(s).h11, 0.5, 1e-3, 10) },
      h12Midway: { smoothHess: firstCrossingLog(xs, sh.map((r) => r.h12), -2, { from: 1e-3, direction: "falling" }), target: bisectLog((s) => truthAt(s).h12, -2, 1e-3, 10) },
    },
    softplusLargeBetaRange: range(sp.filter((r) => r.beta >= 100)),
    missingRange: missing.length === 0 ? null : range(missing),
    missingTargetRange: missing.length === 0 ? null : range(missing.map((r) => truthAt(r.sigma2))),
    softplusRange: range(sp),
    smoothHessRange: range(compared),
  };
}

import { InvalidArgumentError, checkPositive, described } from "@smoothhess/errors";

/**
 * The grid `[a : b : c] = {a, a + c, a + 2c, …, b − c}` of the SmoothHess paper's App. E.2: from `a` (inclusive)
 * to `b` (**exclusive**) in steps of `c`, e.g. `paperGrid(0.1, 1, 0.1)` is `0.1, 0.2, …, 0.9`. Values are
 * rounded to 12 significant digits, so decimal grids come out as written (`0.3`, not `0.30000000000000004`).
 *
 * This is the paper's own definition (App. E.2: "between a (inclusive) and b (exclusive)"), followed by every preset
 * of this package. The paper's Table 3 nevertheless reports β = 95 chosen from `[20 : 95 : 5]`; see
 * {@link BETA_GRIDS} and {@link BETAS_REPORTED_OUTSIDE_GRIDS} for how the presets record that.
 *
 * @throws {@link InvalidArgumentError} for non-finite bounds, `a ≥ b`, `c ≤ 0`, or `(b − a)` not a multiple of `c`
 *   (the paper's own condition).
 */
export function paperGrid(a: number, b: number, c: number): number[] {
  if (typeof a !== "number" || !Number.isFinite(a)) throw new InvalidArgumentError("a", "a finite number", a);
  if (typeof b !== "number" || !Number.isFinite(b) || b <= a) throw new InvalidArgumentError("b", `a finite number > a = ${a}`, b);
  checkPositive("c", c);
  const steps = (b - a) / c;
  const count = Math.round(steps);
  if (Math.abs(steps - count) > 1e-9 * Math.max(1, steps)) {
    throw new InvalidArgumentError("c", `a step that divides b − a = ${b - a}`, described(`${c} (${steps} steps)`));
  }
  return Array.from({ length: count }, (_, i) => round12(a + i * c));
}

/**
 * The sorted union of several grids and single values, without duplicates (the paper writes its grids as unions,
 * e.g. `[0.1 : 1 : 0.1] ∪ [1 : 20 : 1]`).
 */
export function gridUnion(...parts: readonly (readonly number[])[]): number[] {
  const values = new Set<number>();
  for (const part of parts) for (const v of part) values.add(round12(v));
  return [...values].sort((x, y) => x - y);
}

function round12(v: number): number {
  return Number.parseFloat(v.toPrecision(12));
}

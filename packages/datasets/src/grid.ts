import { InvalidArgumentError, checkPositive, described } from "@smoothhess/errors";

/** Options of the square grids behind the Four Quadrant and Nested Interactions datasets. */
export interface GridOptions {
  /** Half-width of the square: points lie in `[−extent, extent]²` (default 2, as in the paper). */
  extent?: number;
  /** Distance between neighbouring grid points (default 0.008, as in the paper); must divide `2·extent`. */
  spacing?: number;
}

/** A validated square grid: `m + 1` points per axis at `extent·(2k − m)/m`, `k = 0 … m`. */
export interface SquareGrid {
  readonly extent: number;
  readonly steps: number;
  /**
   * Coordinate of grid index `k` along either axis, `extent·(2k − m)/m` in float64: no accumulated error,
   * exactly antisymmetric, exactly 0 at the centre.
   */
  coordinate(k: number): number;
}

/** Check grid options and return the grid (the paper's: extent 2, spacing 0.008 → 501 points per axis). */
export function squareGrid(options: GridOptions = {}): SquareGrid {
  const extent = checkPositive("options.extent", options.extent ?? 2);
  const spacing = checkPositive("options.spacing", options.spacing ?? 0.008);
  const steps = Math.round((2 * extent) / spacing);
  if (steps < 1 || Math.abs(steps * spacing - 2 * extent) > 1e-9 * extent) {
    throw new InvalidArgumentError(
      "options.spacing",
      `a spacing that divides 2·extent = ${2 * extent} into a whole number of steps`,
      described(`${spacing} (${(2 * extent) / spacing} steps)`),
    );
  }
  if ((steps + 1) ** 2 > 2 ** 28) {
    throw new InvalidArgumentError("options.spacing", "at most 2²⁸ grid points", described(`${(steps + 1) ** 2} points`));
  }
  return { extent, steps, coordinate: (k) => (extent * (2 * k - steps)) / steps };
}

/**
 * Fill `x` (n×2) and `y` (n) with every grid point and `target` at it, rows ordered with `x₁` slowest:
 * row `i·(m+1) + j` is the point `(coordinate(i), coordinate(j))`. Values are computed in float64 and rounded
 * once to float32 on storage.
 */
export function fillGrid(grid: SquareGrid, target: (x1: number, x2: number) => number): { x: Float32Array; y: Float32Array } {
  const side = grid.steps + 1;
  const x = new Float32Array(2 * side * side);
  const y = new Float32Array(side * side);
  for (let i = 0; i < side; i++) {
    const x1 = grid.coordinate(i);
    for (let j = 0; j < side; j++) {
      const x2 = grid.coordinate(j);
      const row = i * side + j;
      x[2 * row] = x1;
      x[2 * row + 1] = x2;
      y[row] = target(x1, x2);
    }
  }
  return { x, y };
}

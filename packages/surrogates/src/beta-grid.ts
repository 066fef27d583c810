import { InvalidArgumentError } from "@smoothhess/errors";

/** The β grids validated in the SmoothHess paper (App. D), by experiment. */
export type PaperBetaGrid = "pmse-mnist" | "pmse-cifar10" | "attack-mnist" | "attack-cifar10";

const GRIDS: Record<PaperBetaGrid, ReadonlyArray<readonly [start: number, end: number, step: number]>> = {
  "pmse-mnist": [[0.1, 1, 0.1], [1, 20, 1], [20, 95, 5], [100, 800, 10]],
  "pmse-cifar10": [[0.1, 1, 0.1], [1, 20, 0.5], [20, 95, 5], [100, 800, 10]],
  "attack-mnist": [[1, 20, 1], [20, 100, 5], [100, 210, 10]],
  "attack-cifar10": [[1, 10, 1], [10, 45, 5]],
};

/**
 * The values of β the SmoothHess paper checked on a validation set (App. D): for P_MSE on MNIST/FMNIST
 * `[0.1:1:0.1] ∪ [1:20:1] ∪ [20:95:5] ∪ [100:800:10]` (115 values), on CIFAR-10 the same with `[1:20:0.5]`
 * (134 values); for the adversarial attacks `[1:20:1] ∪ [20:100:5] ∪ [100:210:10]` (MNIST/FMNIST) and
 * `[1:10:1] ∪ [10:45:5]` (CIFAR-10). `[a:b:s]` is read as a, a+s, …, b with both ends included; the union is
 * sorted ascending without duplicates, and values are rounded to 10 decimals so that 0.1·3 is 0.3.
 *
 * @throws {@link InvalidArgumentError} for an unknown grid name.
 */
export function paperBetaGrid(grid: PaperBetaGrid): number[] {
  const ranges = GRIDS[grid];
  if (!ranges) throw new InvalidArgumentError("grid", Object.keys(GRIDS).map((g) => `"${g}"`).join(" | "), grid);
  const values = new Set<number>();
  for (const [start, end, step] of ranges) {
    const count = Math.round((end - start) / step);
    for (let i = 0; i <= count; i++) values.add(Math.round((start + i * step) * 1e10) / 1e10);
  }
  return [...values].sort((a, b) => a - b);
}

import { gridUnion, paperGrid } from "./paper-grid.js";

/** The three image datasets of the SmoothHess paper's metrics experiments. */
export type PaperDataset = "mnist" | "fmnist" | "cifar10";

/** One frozen grid per dataset. */
export type DatasetGrids = Readonly<Record<PaperDataset, readonly number[]>>;

const freeze = (values: number[]): readonly number[] => Object.freeze(values);

const pmseBetaMnist = freeze(gridUnion(paperGrid(0.1, 1, 0.1), paperGrid(1, 20, 1), paperGrid(20, 95, 5), paperGrid(100, 800, 10)));
const pmseBetaCifar = freeze(gridUnion(paperGrid(0.1, 1, 0.1), paperGrid(1, 20, 0.5), paperGrid(20, 95, 5), paperGrid(100, 800, 10)));
const attackBetaMnist = freeze(gridUnion(paperGrid(1, 20, 1), paperGrid(20, 100, 5), paperGrid(100, 210, 10)));
const attackBetaCifar = freeze(gridUnion(paperGrid(1, 10, 1), paperGrid(10, 45, 5)));
const reportedPmseMnist = freeze([95]);
const none = freeze([]);
const attackVarianceMnist = freeze(gridUnion([0.001, 0.005], paperGrid(0.01, 0.1, 0.01), paperGrid(0.15, 1.0, 0.05)));
const attackVarianceCifar = freeze(
  gridUnion([5e-5, 7.5e-5], paperGrid(0.0001, 0.0006, 0.0001), [0.00075], paperGrid(0.001, 0.006, 0.001)),
);

/**
 * The β grids of the SmoothHess paper's App. E.2 for the SoftPlus and Swish surrogates, exactly as the paper defines
 * them (`[a : b : c]` excludes `b`, see {@link paperGrid}):
 *
 * - `perturbationMSE.mnist` / `.fmnist`: `[0.1:1:0.1] ∪ [1:20:1] ∪ [20:95:5] ∪ [100:800:10]` (113 values, 0.1 … 790);
 * - `perturbationMSE.cifar10`: `[0.1:1:0.1] ∪ [1:20:0.5] ∪ [20:95:5] ∪ [100:800:10]` (132 values, 0.1 … 790);
 * - `attack.mnist` / `.fmnist`: `[1:20:1] ∪ [20:100:5] ∪ [100:210:10]` (46 values, 1 … 200);
 * - `attack.cifar10`: `[1:10:1] ∪ [10:45:5]` (16 values, 1 … 40).
 *
 * **The paper is not consistent here:** Table 3 reports β = 95 selected for MNIST and FMNIST, which `[20 : 95 : 5]`
 * excludes by App. E.2's own definition. Either the definition or the table has a typo. These grids follow the
 * definition; the values the tables report outside them are listed in {@link BETAS_REPORTED_OUTSIDE_GRIDS}, so that
 * `gridUnion(BETA_GRIDS.perturbationMSE.mnist, BETAS_REPORTED_OUTSIDE_GRIDS.perturbationMSE.mnist)` (114 values) is the
 * grid that contains every β of Table 3. Reading every `[a : b : c]` as inclusive of `b` instead would also add
 * 800 (P_MSE), 210 (attack, MNIST/FMNIST) and 45 (attack, CIFAR-10), which no table reports.
 */
export const BETA_GRIDS: Readonly<{ perturbationMSE: DatasetGrids; attack: DatasetGrids }> = Object.freeze({
  perturbationMSE: Object.freeze({ mnist: pmseBetaMnist, fmnist: pmseBetaMnist, cifar10: pmseBetaCifar }),
  attack: Object.freeze({ mnist: attackBetaMnist, fmnist: attackBetaMnist, cifar10: attackBetaCifar }),
});

/**
 * The β values that the paper's tables report as **selected** but that lie outside {@link BETA_GRIDS} as App. E.2
 * defines them (`[a : b : c]` excludes `b`), per experiment and dataset:
 *
 * - `perturbationMSE.mnist` / `.fmnist`: `[95]` — Table 3 reports β = 95 (SoftPlus on MNIST and FMNIST, Swish on
 *   MNIST), which the grid's `[20 : 95 : 5]` excludes;
 * - `perturbationMSE.cifar10`: `[]` — every CIFAR-10 β of Table 3 is in the grid;
 * - `attack.*`: `[]` — every β of Table 4 is in the grids.
 *
 * Add them with {@link gridUnion} to validate every value the paper reports choosing, e.g.
 * `gridUnion(BETA_GRIDS.perturbationMSE.mnist, BETAS_REPORTED_OUTSIDE_GRIDS.perturbationMSE.mnist)`. (Every σ² of
 * Table 4 lies in {@link VARIANCE_GRIDS}; Table 3's σ² come from {@link threeSigmaRule}, not from a grid.)
 */
export const BETAS_REPORTED_OUTSIDE_GRIDS: Readonly<{ perturbationMSE: DatasetGrids; attack: DatasetGrids }> = Object.freeze({
  perturbationMSE: Object.freeze({ mnist: reportedPmseMnist, fmnist: reportedPmseMnist, cifar10: none }),
  attack: Object.freeze({ mnist: none, fmnist: none, cifar10: none }),
});

/**
 * The grids of the smoothing **variance** `σ²` (`Σ = σ²I`) validated for the attacks in App. E.2.2 (for P_MSE the
 * paper uses {@link threeSigmaRule} instead):
 *
 * - `attack.mnist` / `.fmnist`: `{0.001, 0.005} ∪ [0.01:0.1:0.01] ∪ [0.15:1.00:0.05]` (28 values);
 * - `attack.cifar10`: `{5e-5, 7.5e-5} ∪ [1e-4:6e-4:1e-4] ∪ {7.5e-4} ∪ [0.001:0.006:0.001]` (13 values).
 *
 * Pass `{ variance: v }` (or `{ sigma: √v }`) as the covariance of the Stein estimators.
 */
export const VARIANCE_GRIDS: Readonly<{ attack: DatasetGrids }> = Object.freeze({
  attack: Object.freeze({ mnist: attackVarianceMnist, fmnist: attackVarianceMnist, cifar10: attackVarianceCifar }),
});

/** The neighbourhood radii `ε` of the paper's P_MSE experiments (Table 1): 0.25, 0.5, 1.0 on every dataset. */
export const PERTURBATION_MSE_RADII: readonly number[] = freeze([0.25, 0.5, 1.0]);

/**
 * The attack magnitudes `ε` of the paper's Table 2: 0.25, 0.5, 0.75, 1.25, 1.75 for MNIST and FMNIST; 0.1, 0.2, 0.3,
 * 0.4, 1.0 for CIFAR-10.
 */
export const ATTACK_RADII: DatasetGrids = Object.freeze({
  mnist: freeze([0.25, 0.5, 0.75, 1.25, 1.75]),
  fmnist: freeze([0.25, 0.5, 0.75, 1.25, 1.75]),
  cifar10: freeze([0.1, 0.2, 0.3, 0.4, 1.0]),
});

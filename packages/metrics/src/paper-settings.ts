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
const attackVarianceMnist = freeze(gridUnion([0.001, 0.005], paperGrid(0.01, 0.1, 0.01), paperGrid(0.15, 1.0, 0.05)));
const attackVarianceCifar = freeze(
  gridUnion([5e-5, 7.5e-5], paperGrid(0.0001, 0.0006, 0.0001), [0.00075], paperGrid(0.001, 0.006, 0.001)),
);

/**
 * The β grids of the SmoothHess paper's App. E.2 for the SoftPlus and Swish surrogates, exactly as listed
 * (`[a : b : c]` excludes `b`, see {@link paperGrid}):
 *
 * - `perturbationMSE.mnist` / `.fmnist`: `[0.1:1:0.1] ∪ [1:20:1] ∪ [20:95:5] ∪ [100:800:10]` (113 values);
 * - `perturbationMSE.cifar10`: `[0.1:1:0.1] ∪ [1:20:0.5] ∪ [20:95:5] ∪ [100:800:10]` (132 values);
 * - `attack.mnist` / `.fmnist`: `[1:20:1] ∪ [20:100:5] ∪ [100:210:10]` (46 values);
 * - `attack.cifar10`: `[1:10:1] ∪ [10:45:5]` (16 values).
 */
export const BETA_GRIDS: Readonly<{ perturbationMSE: DatasetGrids; attack: DatasetGrids }> = Object.freeze({
  perturbationMSE: Object.freeze({ mnist: pmseBetaMnist, fmnist: pmseBetaMnist, cifar10: pmseBetaCifar }),
  attack: Object.freeze({ mnist: attackBetaMnist, fmnist: attackBetaMnist, cifar10: attackBetaCifar }),
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

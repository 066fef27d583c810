import { PAPER_ATTACK_RADII } from "../../paper-numbers/table-8.js";
import type { AttackDatasetResults } from "./results.js";

/** Display names of the datasets. */
export const DATASET_NAMES: Readonly<Record<string, string>> = { mnist: "MNIST", fmnist: "FMNIST", cifar10: "CIFAR-10" };

/** A fraction as a percentage with one decimal. */
export const pct = (x: number) => (100 * x).toFixed(1);
/** A paper value with one decimal, or — where the paper has none. */
export const fixed1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : "—");

/** The paper's value at our `e`-th radius of `dataset` (NaN when the run uses a radius the paper does not). */
export function paperAt(dataset: AttackDatasetResults["dataset"], radii: readonly number[], row: readonly number[], e: number): number {
  const at = PAPER_ATTACK_RADII[dataset].indexOf(radii[e]);
  return at < 0 ? Number.NaN : row[at];
}

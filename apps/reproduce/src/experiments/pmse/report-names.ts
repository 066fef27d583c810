/** Display names and paper lookups shared by the pmse report and figures. */
export const DATASET_NAMES: Readonly<Record<string, string>> = { mnist: "MNIST", fmnist: "FMNIST", cifar10: "CIFAR-10" };
export const TARGET_NAMES: Readonly<Record<string, string>> = { logit: "class logit", neuron: "internal neuron" };
export const SAMPLING_NAMES: Readonly<Record<string, string>> = {
  "uniform-ball": "points uniform in the ball (Eq. 11)",
  "uniform-radius": "radius uniform in [0, ε] (the authors' code)",
};

/** The paper's columns are ε = 0.25, 0.5, 1.0. */
export const PAPER_RADII: readonly number[] = [0.25, 0.5, 1.0];

/** The paper's value at our `e`-th radius (a run may use other radii than the paper's; then NaN, shown as —). */
export function paperLookup(radii: readonly number[]): (row: readonly number[], e: number) => number {
  return (row, e) => {
    const at = PAPER_RADII.indexOf(radii[e]);
    return at < 0 ? Number.NaN : row[at];
  };
}

/** A share as a percentage with one decimal. */
export function pct(x: number): string {
  return `${(100 * x).toFixed(1)} %`;
}

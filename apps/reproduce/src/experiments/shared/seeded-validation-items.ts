import type { SharedItems } from "../../experiment.js";
import type { ImageExperimentConfig } from "./image-experiment-config.js";

/**
 * `pmse` / `attack` under `--test-points first` compute every validation item (`val-…`) exactly as the seeded run
 * of the same configuration does: the validation points, their seeds and the candidates do not depend on which test
 * points follow. So such a run copies them from the seeded run's checkpoints in its output folder instead of
 * recomputing the validation stage; the test items are its own.
 */
export function seededValidationItems<C extends ImageExperimentConfig>(config: C): SharedItems | undefined {
  if (config.testPointOrder === undefined) return undefined;
  const { testPointOrder: _order, ...seeded } = config;
  return { config: seeded, shares: (key) => key.startsWith("val-") };
}

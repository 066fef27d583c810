import type { Experiment } from "../experiment.js";
import { fourQuadrantExperiment } from "./four-quadrant/experiment.js";
import { nestedExperiment } from "./nested/experiment.js";
import { pmseExperiment } from "./pmse/experiment.js";
import { attackExperiment } from "./attack/experiment.js";
import { spirometryExperiment } from "./spirometry/experiment.js";
import { unificationExperiment } from "./unification/experiment.js";
import { robustnessExperiment } from "./robustness/experiment.js";
import { superpixelsExperiment } from "./superpixels/experiment.js";

/** Every experiment the CLI knows, in the order `all` runs them. */
export const experiments: readonly Experiment[] = [fourQuadrantExperiment, nestedExperiment, pmseExperiment, attackExperiment, spirometryExperiment, unificationExperiment, robustnessExperiment, superpixelsExperiment];

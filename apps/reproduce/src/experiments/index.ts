import type { Experiment } from "../experiment.js";
import { fourQuadrantExperiment } from "./four-quadrant.js";
import { nestedExperiment } from "./nested.js";
import { pmseExperiment } from "./pmse.js";
import { attackExperiment } from "./attack.js";
import { spirometryExperiment } from "./spirometry.js";
import { superpixelsExperiment } from "./superpixels/experiment.js";

/** Every experiment the CLI knows, in the order `all` runs them. */
export const experiments: readonly Experiment[] = [fourQuadrantExperiment, nestedExperiment, pmseExperiment, attackExperiment, spirometryExperiment, superpixelsExperiment];

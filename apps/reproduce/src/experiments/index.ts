import type { Experiment } from "../experiment.js";
import { fourQuadrantExperiment } from "./four-quadrant.js";

/** Every experiment the CLI knows, in the order `all` runs them. */
export const experiments: readonly Experiment[] = [fourQuadrantExperiment];

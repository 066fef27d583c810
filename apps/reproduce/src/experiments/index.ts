import type { Experiment } from "../experiment.js";

/** Every experiment the CLI knows, in the order `all` runs them. */
export const experiments: readonly Experiment[] = [];

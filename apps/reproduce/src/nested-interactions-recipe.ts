import type { TrainingRecipe } from "@smoothhess/tfjs";
import { FIGURE_5 } from "./paper-numbers/figure-5.js";

/**
 * The Nested Interactions training recipe of App. E.1 — RMSProp at 1e-3, batch 64, ×0.1 at iterations 40k, 80k,
 * 120k and 160k — for a run of at least `iterations` steps over `n` examples (`epochs` is rounded up; the paper's
 * 200,000 by default). A shorter run (the quick preset) is the same recipe truncated, as the Four Quadrant quick
 * preset is. (`@smoothhess/tfjs` has recipes for Four Quadrant, MNIST and CIFAR-10 only.)
 */
export function nestedInteractionsRecipe(n: number, iterations: number = FIGURE_5.recipe.iterations): TrainingRecipe {
  const { batchSize, learningRate, milestones, factor } = FIGURE_5.recipe;
  const stepsPerEpoch = Math.ceil(n / batchSize);
  return {
    optimizer: { kind: "rmsprop", learningRate },
    schedule: { kind: "step", milestones: [...milestones], factor },
    batchSize,
    epochs: Math.ceil(iterations / stepsPerEpoch),
  };
}

import { covariance, networkOracle } from "@smoothhess/oracle";
import { deriveSeed } from "@smoothhess/random";
import { smoothHess, type SmoothHessResult } from "@smoothhess/stein";
import { referenceSurrogates } from "@smoothhess/surrogates";
import { meanSquaredError, paperToyMlp, referenceFromTfjsMlp, useBackend, type BackendName, type TrainOptions } from "@smoothhess/tfjs";
import type { ExperimentContext } from "../../experiment.js";
import { trainedNetwork } from "../../trained-network.js";

/** What the toy-MLP experiments (Figs. 2 and 5) train and sweep. */
export interface ToyMlpSweepSpec<S, P> {
  /** Prefix of log lines and progress bars (the experiment's name). */
  readonly label: string;
  readonly seed: number;
  readonly backend: string;
  /** Everything that determines the trained weights; hashed into the model-cache key. */
  readonly description: Record<string, unknown>;
  /** The regression data the MLP memorises. */
  readonly data: { readonly x: Float32Array; readonly y: Float32Array; readonly n: number };
  /** Recipe, epochs, loss and seed of the training run. */
  readonly training: Omit<TrainOptions, "checkpointDir" | "onEpoch">;
  /** σ² grid of SmoothHess (Σ = σ²I); item `i` is checkpointed as `smoothhess-i` with seed `deriveSeed(seed, i)`. */
  readonly sigma2: readonly number[];
  /** Gradient samples per σ². */
  readonly samples: number;
  /** β grid of the SoftPlus surrogate. */
  readonly betas: readonly number[];
  /** The row an experiment keeps of one SmoothHess estimate (what is checkpointed). */
  smoothHessRow(sigma2: number, estimate: SmoothHessResult): S;
  /** The row an experiment keeps of the SoftPlus Hessian at one β (row-major 2×2). */
  softplusRow(beta: number, hessian: Float64Array): P;
}

/** The outcome of {@link toyMlpSweeps}. */
export interface ToyMlpSweeps<S, P> {
  readonly trainingMse: number;
  readonly trainingSteps: number;
  readonly smoothHess: S[];
  readonly softplus: P[];
}

/**
 * The pipeline shared by Four Quadrant (Fig. 2) and Nested Interactions (Fig. 5): train the paper's toy ReLU MLP
 * (cached), convert its weights to the float64 reference network (exact gradients and Hessians, identical on every
 * machine), estimate SmoothHess at x₀ = 0 over the σ² grid (one checkpoint per σ²) and take the SoftPlus
 * surrogate's exact Hessian over the β grid.
 */
export async function toyMlpSweeps<S, P>(context: ExperimentContext, spec: ToyMlpSweepSpec<S, P>): Promise<ToyMlpSweeps<S, P>> {
  await useBackend(spec.backend as BackendName);
  const { network, record } = await trainedNetwork(context, spec.description, () => paperToyMlp(spec.seed), () => spec.data, spec.training);
  const trainingMse = meanSquaredError(network, spec.data.x, spec.data.y, spec.data.n);
  context.log(`${spec.label}: training MSE ${trainingMse.toExponential(3)} after ${record.steps} steps`);

  const reference = referenceFromTfjsMlp(network);
  const oracle = networkOracle(reference);
  const x0 = [0, 0];

  const sweepStage = `${spec.label} SmoothHess over σ²`;
  const progress = context.progress(`${spec.label}: SmoothHess over σ²`, spec.sigma2.length);
  const smoothHessRows: S[] = [];
  for (const [i, sigma2] of spec.sigma2.entries()) {
    const { value } = await context.checkpoints.getOrCompute(`smoothhess-${i}`, async () => {
      const estimate = await smoothHess(oracle, x0, {
        covariance: covariance({ variance: sigma2 }, 2),
        samples: spec.samples,
        seed: deriveSeed(spec.seed, i),
        entrywiseError: true,
      });
      return spec.smoothHessRow(sigma2, estimate);
    }, { stage: sweepStage, item: i });
    smoothHessRows.push(value);
    progress.update(i + 1);
  }
  progress.stop();
  context.checkpoints.completeStage(sweepStage);

  const surrogates = referenceSurrogates(reference);
  const softplusRows = spec.betas.map((beta) => {
    const { hessians } = surrogates.surrogate({ name: "softplus", beta }).hessians(Float64Array.from(x0), 1, { output: 0 });
    return spec.softplusRow(beta, hessians);
  });
  return { trainingMse, trainingSteps: record.steps, smoothHess: smoothHessRows, softplus: softplusRows };
}

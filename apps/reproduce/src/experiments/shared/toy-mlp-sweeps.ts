import { covariance, networkOracle, type GradientOracle } from "@smoothhess/oracle";
import { deriveSeed } from "@smoothhess/random";
import { smoothHess, type OuterProductKernel, type SmoothHessResult } from "@smoothhess/stein";
import { referenceSurrogates } from "@smoothhess/surrogates";
import { meanSquaredError, paperToyMlp, referenceFromTfjsMlp, useBackend, type BackendName, type Network, type TrainOptions } from "@smoothhess/tfjs";
import { openEngine, type EngineName } from "../../engine.js";
import type { ExperimentContext } from "../../experiment.js";
import { trainedNetwork } from "../../trained-network.js";

/** What the toy-MLP experiments (Figs. 2 and 5) train and sweep. */
export interface ToyMlpSweepSpec<S, P> {
  /** Prefix of log lines and progress bars (the experiment's name). */
  readonly label: string;
  readonly seed: number;
  readonly backend: string;
  /**
   * `onnx`: SmoothHess (float32 gradients, float64 accumulation) and the SoftPlus Hessians on ONNX Runtime; `tfjs`
   * (or absent): the float64 reference network of the weights.
   */
  readonly engine?: EngineName;
  /** A network to analyse instead of training one (the authors' checkpoint), with its ONNX bytes. */
  readonly pretrained?: { readonly network: Network; readonly onnx?: Uint8Array; readonly label: string };
  /** Everything that determines the trained weights; hashed into the model-cache key. */
  readonly description: Record<string, unknown>;
  /** The regression data the MLP memorises. */
  readonly data: { readonly x: Float32Array; readonly y: Float32Array; readonly n: number };
  /** Recipe, epochs, loss and seed of the training run. */
  readonly training: Omit<TrainOptions, "checkpointDir" | "onEpoch">;
  /** Points (x₁, x₂) where the result reports the network's output. */
  readonly probes?: readonly (readonly [number, number])[];
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
  /** The network's output at `spec.probes` (float64 reference network). */
  readonly probeValues: number[];
  readonly smoothHess: S[];
  readonly softplus: P[];
}

/**
 * The pipeline shared by Four Quadrant (Fig. 2) and Nested Interactions (Fig. 5): train the paper's toy ReLU MLP
 * (cached; or take `spec.pretrained`), estimate SmoothHess at x₀ = 0 over the σ² grid (one checkpoint per σ²) and
 * take the SoftPlus surrogate's exact Hessian over the β grid — on the float64 reference network of the weights
 * (exact gradients and Hessians, identical on every machine), or on ONNX Runtime with `spec.engine: "onnx"`.
 */
export async function toyMlpSweeps<S, P>(context: ExperimentContext, spec: ToyMlpSweepSpec<S, P>): Promise<ToyMlpSweeps<S, P>> {
  await useBackend(spec.backend as BackendName);
  const { network, record } = spec.pretrained
    ? { network: spec.pretrained.network, record: { steps: 0 } }
    : await trainedNetwork(context, spec.description, () => paperToyMlp(spec.seed), () => spec.data, spec.training);
  const trainingMse = meanSquaredError(network, spec.data.x, spec.data.y, spec.data.n);
  context.log(`${spec.label}: ${spec.pretrained ? `${spec.pretrained.label}, MSE on the data` : "training MSE"} ${trainingMse.toExponential(3)} after ${record.steps} steps`);

  const reference = referenceFromTfjsMlp(network);
  const probes = spec.probes ?? [];
  const probeValues = probes.length > 0 ? Array.from(networkOracle(reference).evaluate(Float64Array.from(probes.flat()), probes.length).values) : [];
  const engine = spec.engine === "onnx" ? await openEngine("onnx", { network, onnx: spec.pretrained?.onnx }) : undefined;
  const surrogates = engine ? undefined : referenceSurrogates(reference);
  try {
    return await sweeps(context, spec, engine ? await engine.oracle({ output: 0 }) : networkOracle(reference), engine?.kernel, async (beta, x0) =>
      engine ? (await engine.surrogateHessian({ name: "softplus", beta }, x0, { output: 0 })).hessian : surrogates!.surrogate({ name: "softplus", beta }).hessians(x0, 1, { output: 0 }).hessians,
    ).then((result) => ({ ...result, trainingMse, trainingSteps: record.steps, probeValues }));
  } finally {
    await engine?.dispose();
  }
}

/** The σ² sweep (one checkpoint per σ²) and the β sweep at x₀ = 0. */
async function sweeps<S, P>(
  context: ExperimentContext,
  spec: ToyMlpSweepSpec<S, P>,
  oracle: GradientOracle,
  kernel: OuterProductKernel | undefined,
  softplusHessian: (beta: number, x0: Float64Array) => Promise<Float64Array>,
): Promise<{ smoothHess: S[]; softplus: P[] }> {
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
        ...(kernel ? { kernel } : {}),
      });
      return spec.smoothHessRow(sigma2, estimate);
    }, { stage: sweepStage, item: i });
    smoothHessRows.push(value);
    progress.update(i + 1);
  }
  progress.stop();
  context.checkpoints.completeStage(sweepStage);

  const softplusRows: P[] = [];
  for (const beta of spec.betas) softplusRows.push(spec.softplusRow(beta, await softplusHessian(beta, Float64Array.from(x0))));
  return { smoothHess: smoothHessRows, softplus: softplusRows };
}

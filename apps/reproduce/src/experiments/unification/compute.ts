import type { ExperimentContext } from "../../experiment.js";
import type { UnificationConfig } from "./config.js";
import { accuracy, prepareUnificationDataset } from "./dataset.js";
import { measureLipschitz, measureRow } from "./measure.js";
import type { UnificationDatasetResult, UnificationDimensionRow, UnificationResults, UnificationRow, UnificationSigmaResult } from "./results.js";

/** Train the ELU network of every dataset and measure equivalence and robustness over n and σ². */
export async function computeUnification(context: ExperimentContext, config: UnificationConfig): Promise<UnificationResults> {
  const results: UnificationDatasetResult[] = [];
  for (const [datasetIndex, spec] of config.datasets.entries()) {
    const { train, test, featureNames, net, losses, oracle } = await prepareUnificationDataset(spec, config);
    const d = test.d;
    const points = Math.min(config.points, test.n);
    context.log(`${spec.name}: d = ${d}, test accuracy ${(100 * accuracy(net, test)).toFixed(1)} %, explaining ${points} test points`);

    const sigma: UnificationSigmaResult[] = [];
    for (const [s, sigma2] of config.sigma2.entries()) {
      // One stage per (dataset, σ²), one item per n. Items are numbered across all stages, so in a shard run the
      // costly largest n of the stages fall to different shards instead of all to the same one.
      const stage = `unification ${spec.name} σ²=${sigma2}`;
      const firstItem = (datasetIndex * config.sigma2.length + s) * config.perturbations.length;
      const result = await context.checkpoints.whenStagesComplete(async () => {
        const rows: UnificationRow[] = [];
        const progress = context.progress(`${spec.name} σ²=${sigma2}`, config.perturbations.length);
        for (const [k, n] of config.perturbations.entries()) {
          const key = `${spec.name}-s2-${sigma2}-n-${n}`.replace(/[^A-Za-z0-9._-]/g, "_");
          const { value } = await context.checkpoints.getOrCompute(key, () => measureRow(oracle, test, points, d, sigma2, n, config), { stage, item: firstItem + k });
          rows.push(value);
          progress.update(k + 1);
        }
        progress.stop();
        context.checkpoints.completeStage(stage);
        // outside the stage: computed by whichever process completes the stage (a shard's next round, or the merge)
        const lipschitz = await context.checkpoints.getOrCompute(`${spec.name}-s2-${sigma2}-lipschitz`.replace(/[^A-Za-z0-9._-]/g, "_"), () =>
          measureLipschitz(oracle, test, points, d, sigma2, config),
        );
        return { sigma2, rows, ...lipschitz.value } satisfies UnificationSigmaResult;
      });
      if (result) sigma.push(result);
    }
    results.push({
      name: spec.name,
      d,
      trainSize: train.n,
      testSize: test.n,
      featureNames,
      epochs: spec.epochs,
      finalLoss: losses[losses.length - 1],
      trainAccuracy: accuracy(net, train),
      testAccuracy: accuracy(net, test),
      points,
      sigma,
    });
  }
  const sweep = config.dimensionSweep;
  const sweepRows = await context.checkpoints.whenStagesComplete(async () => {
    const stage = "unification dimension sweep";
    const firstItem = config.datasets.length * config.sigma2.length * config.perturbations.length;
    const rows: UnificationDimensionRow[] = [];
    const progress = context.progress(`Simulated padded to d ∈ {${sweep.dimensions.join(", ")}}`, sweep.dimensions.length);
    for (const [k, d] of sweep.dimensions.entries()) {
      const key = `dimension-sweep-d-${d}-s2-${sweep.sigma2}-n-${sweep.n}`.replace(/[^A-Za-z0-9._-]/g, "_");
      const { value } = await context.checkpoints.getOrCompute(
        key,
        async () => {
          const { test, net, oracle } = await prepareUnificationDataset({ name: "simulated", epochs: 15, noiseFeatures: d - 2 }, config);
          const row = await measureRow(oracle, test, Math.min(config.points, test.n), d, sweep.sigma2, sweep.n, config);
          return { d, testAccuracy: accuracy(net, test), ...row } satisfies UnificationDimensionRow;
        },
        { stage, item: firstItem + k },
      );
      rows.push(value);
      progress.update(k + 1);
    }
    progress.stop();
    context.checkpoints.completeStage(stage);
    return rows;
  });
  // a shard run (or a merge before the shards finished) stops here, after every stage did its own items
  context.checkpoints.throwIfStagesPending();
  return { datasets: results, dimensionSweep: { sigma2: sweep.sigma2, n: sweep.n, rows: sweepRows! } };
}

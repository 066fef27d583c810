import { deriveSeed } from "@smoothhess/random";
import { smoothHess } from "@smoothhess/stein";
import { predictedClasses } from "@smoothhess/tfjs";
import { rowVector } from "../../explained-points.js";
import { SEED_TAG } from "./config.js";
import type { DatasetRun } from "./dataset-run.js";
import { firstOrderPoints, outcomes, secondOrderPoints } from "./outcomes.js";
import type { AttackOutcome } from "./results.js";

/** Outcomes of every candidate at every validation point: `smooth[σ² index][point]`, `softplus[β index][point]`. */
export interface AttackValidation {
  readonly smooth: { shsg: AttackOutcome; sg: AttackOutcome }[][];
  readonly softplus: { hg: AttackOutcome; g: AttackOutcome }[][];
}

/**
 * Validation (App. E.2.2): every σ² and β attacks every validation point at every radius (one checkpointed item
 * per point and candidate). The point is the stage's item, so a shard computes every candidate of its own points.
 * @throws `StagePendingError` in a shard run (or merge) while other shards' points are not checkpointed yet.
 */
export async function attackValidation(run: DatasetRun, validationRows: readonly number[]): Promise<AttackValidation> {
  const { context, config, task, ds, engine } = run;
  const dataset = task.config.dataset;
  const d = task.network.inputSize;
  const { validation } = task.splits;
  const total = validationRows.length * (config.variances.length + config.betas.length);
  const validationStage = `attack ${dataset} validation`;
  const progress = context.progress(validationStage, total);
  const smooth: { shsg: AttackOutcome; sg: AttackOutcome }[][] = config.variances.map(() => []);
  const softplus: { hg: AttackOutcome; g: AttackOutcome }[][] = config.betas.map(() => []);
  let done = 0;
  for (const [i, row] of validationRows.entries()) {
    const x0 = rowVector(validation.x, row, d);
    const k = predictedClasses(task.network, x0, 1)[0];
    for (const [c, variance] of config.variances.entries()) {
      const { value } = await context.checkpoints.getOrCompute(`val-${dataset}-${i}-smoothhess-${c}`, async () => {
        const estimate = await smoothHess(await engine.oracle({ softmax: k }), x0, {
          covariance: { variance },
          samples: config.samples,
          normals: config.normals,
          seed: deriveSeed(config.seed, SEED_TAG.validationSmoothHess, ds, i, c),
          kernel: engine.kernel,
        });
        return {
          shsg: await outcomes(task.network, x0, k, secondOrderPoints(x0, estimate.gradient, estimate.hessian, config, "reduced").points),
          sg: await outcomes(task.network, x0, k, firstOrderPoints(x0, estimate.gradient, config)),
        };
      }, { stage: validationStage, item: i });
      smooth[c].push(value);
      progress.update(++done);
    }
    for (const [b, beta] of config.betas.entries()) {
      const { value } = await context.checkpoints.getOrCompute(`val-${dataset}-${i}-softplus-${b}`, async () => {
        const { gradient: gradients, hessian: hessians } = await engine.surrogateHessian({ name: "softplus", beta }, x0, { softmax: k });
        return {
          hg: await outcomes(task.network, x0, k, secondOrderPoints(x0, gradients, hessians, config, "reduced").points),
          g: await outcomes(task.network, x0, k, firstOrderPoints(x0, gradients, config)),
        };
      }, { stage: validationStage, item: i });
      softplus[b].push(value);
      progress.update(++done);
    }
  }
  progress.stop();
  context.checkpoints.completeStage(validationStage);
  return { smooth, softplus };
}

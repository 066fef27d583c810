import { deriveSeed } from "@smoothhess/random";
import { smoothHess } from "@smoothhess/stein";
import { rowVector } from "../../explained-points.js";
import { ACTIVATIONS, SEED_TAG, type SurrogateName } from "./config.js";
import { balls, explainedFunction } from "./explained.js";
import type { SmoothHessValidation, SurrogateValidation } from "./results.js";
import type { TargetRun } from "./target-run.js";

/** Validation scores of every candidate: `[validation point]`, each `[radius][candidate]`. */
export interface ValidationScores {
  readonly smoothHessScores: SmoothHessValidation[];
  readonly surrogateScores: Record<SurrogateName, SurrogateValidation[]>;
}

/**
 * Validation (App. E.2.1): score every candidate σ (SH+SG, SG) and β (SoftPlus, Swish; H+G and G) by P_MSE at every
 * validation point, three checkpointed items per point (SmoothHess at all σ, then each surrogate over all β). The
 * point is the stage's item, so a shard computes all three items of its own points.
 * @throws `StagePendingError` in a shard run (or merge) while other shards' points are not checkpointed yet.
 */
export async function validationScores(run: TargetRun, validationRows: readonly number[]): Promise<ValidationScores> {
  const { context, config, task, neuron, engine, target, ds, tg, d, prefix, sigmas, sigmaIndex } = run;
  const { validation } = task.splits;
  const smoothHessScores: SmoothHessValidation[] = [];
  const surrogateScores: Record<SurrogateName, SurrogateValidation[]> = { softplus: [], swish: [] };
  const validationStage = `pmse ${prefix} validation`;
  const validationProgress = context.progress(validationStage, validationRows.length * 3);
  let done = 0;
  for (const [i, row] of validationRows.entries()) {
    const fn = explainedFunction(task, neuron, target, rowVector(validation.x, row, d));
    const ballSeed = (e: number) => deriveSeed(config.seed, SEED_TAG.validationBall, ds, tg, i, e);
    const sh = await context.checkpoints.getOrCompute(`val-${prefix}-${i}-smoothhess`, async () => {
      const ballsHere = await balls(config, engine, fn, config.validationBallSamples, ballSeed, config.samplings[0]);
      const oracle = await engine.oracle(fn.surrogateTarget);
      const shsg = config.radii.map(() => [0, 0, 0]);
      const sg = config.radii.map(() => [0, 0, 0]);
      try {
        for (const [s, sigma] of sigmas.entries()) {
          const estimate = await smoothHess(oracle, fn.x0, {
            covariance: { sigma },
            samples: config.samples,
            seed: deriveSeed(config.seed, SEED_TAG.validationSmoothHess, ds, tg, i, s),
            kernel: engine.kernel,
          });
          const [second, first] = await ballsHere.scoreMany([{ gradient: estimate.gradient, hessian: estimate.hessian }, { gradient: estimate.gradient }]);
          sigmaIndex.forEach((candidates, e) =>
            candidates.forEach((at, c) => {
              if (at !== s) return;
              shsg[e][c] = second[e].mean;
              sg[e][c] = first[e].mean;
            }),
          );
        }
      } finally {
        await ballsHere.dispose();
      }
      return { shsg, sg } satisfies SmoothHessValidation;
    }, { stage: validationStage, item: i });
    smoothHessScores.push(sh.value);
    validationProgress.update(++done);
    for (const name of ACTIVATIONS) {
      const sweep = await context.checkpoints.getOrCompute(`val-${prefix}-${i}-${name}`, async () => {
        const ballsHere = await balls(config, engine, fn, config.validationBallSamples, ballSeed, config.samplings[0]);
        const hg = config.radii.map(() => new Array<number>(config.betas.length).fill(0));
        const g = config.radii.map(() => new Array<number>(config.betas.length).fill(0));
        try {
          for (const [b, beta] of config.betas.entries()) {
            const { gradient, hessian } = await engine.surrogateHessian({ name, beta }, fn.x0, fn.surrogateTarget);
            const [second, first] = await ballsHere.scoreMany([{ gradient, hessian }, { gradient }]);
            config.radii.forEach((_, e) => {
              hg[e][b] = second[e].mean;
              g[e][b] = first[e].mean;
            });
          }
        } finally {
          await ballsHere.dispose();
        }
        return { hg, g } satisfies SurrogateValidation;
      }, { stage: validationStage, item: i });
      surrogateScores[name].push(sweep.value);
      validationProgress.update(++done);
    }
  }
  validationProgress.stop();
  context.checkpoints.completeStage(validationStage);
  return { smoothHessScores, surrogateScores };
}

import * as tf from "@tensorflow/tfjs-core";
import { type Dataset } from "@smoothhess/datasets";
import { covariance } from "@smoothhess/oracle";
import { deriveSeed } from "@smoothhess/random";
import { batchMeans, intervalBlockSums, intervalSums, smoothHess } from "@smoothhess/stein";
import { tfjsOracle, type Network } from "@smoothhess/tfjs";
import type { ExperimentContext } from "../../experiment.js";
import { type SpirometryConfig, type SpirometryModelSpec } from "./config.js";
import type { ChosenPoint, ExplainedPoint } from "./results.js";

/** SmoothGrad and SmoothHess of one model at every chosen test curve, by interval, with batch-means standard errors. */
export async function explainPoints(
  context: ExperimentContext,
  config: SpirometryConfig,
  modelIndex: number,
  spec: SpirometryModelSpec,
  network: Network,
  test: Dataset,
  points: readonly ChosenPoint[],
): Promise<ExplainedPoint[]> {
  const d = test.d;
  const size = config.intervalSamples;
  const intervals = d / size;
  const bandIntervals = Math.floor((config.blocks * (config.models[0].kernel - 1) + size - 1) / size);
  const oracle = tfjsOracle(network, { output: 0 });
  const sigma = covariance({ variance: config.sigma2 }, d);
  const perBatch = config.samples / config.batches;
  const progress = context.progress(`spirometry: SmoothHess, ${spec.name} CNN`, points.length * config.batches);
  const explained: ExplainedPoint[] = [];
  try {
    for (const [p, point] of points.entries()) {
      const x0 = test.x.subarray(point.testRow * d, (point.testRow + 1) * d);
      const batches: { grad: number[]; blocks: number[] }[] = [];
      for (let b = 0; b < config.batches; b++) {
        const { value } = await context.checkpoints.getOrCompute(`smoothhess-${spec.name}-p${p}-b${b}`, async () => {
          const result = await smoothHess(oracle, x0, { covariance: sigma, samples: perBatch, seed: deriveSeed(config.seed, modelIndex, p, b) });
          return { grad: [...intervalSums(result.gradient, size)], blocks: [...intervalBlockSums(result.hessian, d, size)] };
        });
        batches.push(value);
        progress.update(p * config.batches + b + 1);
      }
      const grad = batchMeans(batches.map((b) => b.grad));
      const blocks = batchMeans(batches.map((b) => b.blocks));
      const coughs = point.truth.coughs.map((c) => ({
        start: c.start,
        duration: c.duration,
        intervals: range(Math.floor(c.firstSample / size), Math.floor(Math.max(c.firstSample, c.lastSample) / size)),
      }));
      const coughIntervals = new Set(coughs.flatMap((c) => c.intervals));
      let strongest = 1;
      for (let j = 2; j < intervals; j++) if (Math.abs(blocks.mean[j]) > Math.abs(blocks.mean[strongest])) strongest = j;
      const rank = 1 + [...grad.mean].filter((g) => Math.abs(g) > Math.abs(grad.mean[0])).length;
      let far = 0, all = 0, z2 = 0, farCount = 0;
      for (let i = 0; i < intervals; i++) {
        for (let j = 0; j < intervals; j++) {
          const v = blocks.mean[i * intervals + j];
          all += v * v;
          const se = blocks.standardError[i * intervals + j];
          if (Math.abs(i - j) > bandIntervals) {
            far += v * v;
            // No spread over the batches: every antithetic pair cancels exactly (the network is linear in those
            // samples for every perturbation drawn), so the estimate is exactly 0 and there is no noise to test.
            if (se > 0) {
              z2 += (v / se) ** 2;
              farCount++;
            }
          }
        }
      }
      explained.push({
        testRow: point.testRow,
        datasetRow: point.datasetRow,
        kind: point.kind,
        hasCough: coughs.length > 0,
        coughs,
        fev1: (test.y as Float32Array)[point.testRow],
        predicted: predict(network, x0),
        smoothGrad: [...grad.mean],
        smoothGradStandardError: [...grad.standardError],
        interactions: [...blocks.mean],
        interactionsStandardError: [...blocks.standardError],
        strongest: {
          interval: strongest,
          value: blocks.mean[strongest],
          z: blocks.mean[strongest] / blocks.standardError[strongest],
          atCough: coughIntervals.has(strongest),
          nextToCough: coughIntervals.has(strongest) || coughIntervals.has(strongest - 1) || coughIntervals.has(strongest + 1),
        },
        firstIntervalSmoothGradRank: rank,
        outOfBandShare: all === 0 ? 0 : far / all,
        outOfBandMeanZ2: farCount === 0 ? 0 : z2 / farCount,
      });
    }
  } finally {
    progress.stop();
    await oracle.dispose();
  }
  return explained;
}

function predict(network: Network, x0: Float32Array): number {
  return tf.tidy(() => network.forward(tf.tensor2d(x0, [1, x0.length])).output.dataSync()[0]);
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

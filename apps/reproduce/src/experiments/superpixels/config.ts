import { threeSigmaRule } from "@smoothhess/metrics";
import type { RunOptions } from "../../experiment.js";
import { type ImageTaskConfig, type ImageTaskDataset, imageTaskConfig } from "../../image-classifier-task.js";

/** Everything that determines the numbers of the `superpixels` experiment. */
export interface SuperpixelsConfig {
  readonly [key: string]: unknown;
  readonly preset: string;
  readonly seed: number;
  readonly datasets: readonly ImageTaskDataset[];
  readonly tasks: Readonly<Record<ImageTaskDataset, ImageTaskConfig>>;
  /** Test images explained per dataset (the paper shows three). */
  readonly points: number;
  /** SmoothHess gradient samples per candidate σ. */
  readonly samples: number;
  /** The P_MSE radius of Fig. 6 (ε = 0.25). */
  readonly radius: number;
  /** Candidate σ (standard deviations): the three-σ rule at ε (paper Sec. 5.1). */
  readonly sigmas: readonly number[];
  /** Candidate β of the SoftPlus and Swish surrogates. */
  readonly betas: readonly number[];
  /** P_MSE points per score (selection and report use different seeds). */
  readonly pmseSamples: number;
  /** Super-pixel count range of SLIC (the paper: 20-25). */
  readonly segments: { readonly min: number; readonly max: number };
}

/** The paper's Fig. 6 setting on MNIST and Fashion-MNIST test images (CIFAR-10 needs the ResNet-18 experiment). */
export function configureSuperpixels(options: RunOptions): SuperpixelsConfig {
  const quick = options.preset === "quick";
  const datasets: ImageTaskDataset[] = ["mnist", "fmnist"];
  const radius = 0.25;
  return {
    preset: options.preset,
    seed: options.seed,
    datasets,
    tasks: {
      mnist: imageTaskConfig("mnist", options.preset, options.seed, options.backend),
      fmnist: imageTaskConfig("fmnist", options.preset, options.seed, options.backend),
    },
    points: options.points ?? (quick ? 1 : 3),
    samples: options.samples ?? (quick ? 4000 : 100_000),
    radius,
    sigmas: threeSigmaRule(radius, 784),
    betas: quick ? [5, 20, 95] : [1, 2, 5, 10, 20, 50, 95, 200, 500],
    pmseSamples: quick ? 1000 : 5000,
    segments: { min: 20, max: 25 },
  };
}

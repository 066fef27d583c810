import { WASM_CONV_TRAINING_BACKEND, useWasmConvTraining } from "@smoothhess/tfjs";
import type { RunOptions } from "../../experiment.js";
import { SPIROMETRY_PAPER } from "../../paper-numbers/figures-3-4.js";
import { UsageError } from "../../usage-error.js";

/** One of the two CNNs of Fig. 4 (same architecture, different convolution width). */
export interface SpirometryModelSpec {
  readonly name: "narrow" | "wide";
  /** Convolution kernel width (samples). */
  readonly kernel: number;
}

/** Everything that determines the numbers of the spirometry experiment. */
export interface SpirometryConfig {
  readonly preset: string;
  readonly seed: number;
  /** Backend of the oracles (and of training, unless it is wasm: see `trainingBackend`). */
  readonly backend: string;
  /** Backend that trains the CNNs: wasm cannot ({@link useWasmConvTraining}), cpu is far too slow. */
  readonly trainingBackend: string;
  /** Synthetic curves generated (the paper's 8,721), the share with coughs, and the 80 / 20 split. */
  readonly curves: number;
  readonly coughProbability: number;
  readonly trainCurves: number;
  readonly testCurves: number;
  /** Training curves actually used (all of them with `--full`). */
  readonly trainExamples: number;
  /** Blocks and channels of both CNNs (the paper's 10 and 20, dropout 0.5). */
  readonly blocks: number;
  readonly channels: number;
  readonly models: readonly SpirometryModelSpec[];
  /** RMSProp, batch, epochs, ×`factor` at the given fractions of the run (the paper does not give a recipe). */
  readonly training: {
    readonly epochs: number;
    readonly batchSize: number;
    readonly learningRate: number;
    readonly milestoneFractions: readonly number[];
    readonly factor: number;
  };
  /**
   * Explained test curves, the first of each kind in the test split: `earlyCoughCurves` whose first cough starts in
   * [0.5 s, 1 s) (after the source interval, before FEV₁ is read: the cough changes the observed V(1 s)),
   * `lateCoughCurves` whose first cough starts in [1 s, 4 s] (the label does not depend on it), `cleanCurves`
   * without coughs.
   */
  readonly earlyCoughCurves: number;
  readonly lateCoughCurves: number;
  readonly cleanCurves: number;
  /** SmoothHess / SmoothGrad: Σ = σ²I (litres²), gradient samples per curve and model, split into `batches`. */
  readonly sigma2: number;
  readonly samples: number;
  readonly batches: number;
  /** Samples per interval: 0.5 s at 50 ms. */
  readonly intervalSamples: number;
}

/** Seconds between samples of the synthetic curves (50 ms, the paper's downsampled rate). */
export const INTERVAL = SPIROMETRY_PAPER.sampleInterval;

/** The spirometry configuration of a preset, with `--points` and `--samples` overrides. */
export function configureSpirometry(options: RunOptions): SpirometryConfig {
  const quick = options.preset === "quick";
  const batches = 8;
  const samples = options.samples ?? (quick ? 2048 : 16_384);
  if (samples % (2 * batches) !== 0 || samples < 2 * batches) {
    throw new UsageError(`--samples must be a positive multiple of ${2 * batches} (${batches} batches of antithetic pairs), got ${samples}`);
  }
  const trainCurves = Math.round(SPIROMETRY_PAPER.curves * SPIROMETRY_PAPER.trainShare);
  return {
    preset: options.preset,
    seed: options.seed,
    backend: options.backend,
    trainingBackend: options.backend === "wasm" ? WASM_CONV_TRAINING_BACKEND : options.backend,
    curves: SPIROMETRY_PAPER.curves,
    coughProbability: 0.5,
    trainCurves,
    testCurves: SPIROMETRY_PAPER.curves - trainCurves,
    trainExamples: quick ? 1600 : trainCurves,
    blocks: SPIROMETRY_PAPER.model.blocks,
    channels: SPIROMETRY_PAPER.model.channels,
    models: [
      { name: "narrow", kernel: 5 },
      { name: "wide", kernel: quick ? 15 : SPIROMETRY_PAPER.model.kernel },
    ],
    training: quick
      ? { epochs: 3, batchSize: 16, learningRate: 3e-3, milestoneFractions: [0.6, 0.85], factor: 0.1 }
      : { epochs: 6, batchSize: 32, learningRate: 1e-3, milestoneFractions: [0.6, 0.85], factor: 0.1 },
    earlyCoughCurves: Math.ceil((options.points ?? (quick ? 1 : 8)) / 2),
    lateCoughCurves: Math.floor((options.points ?? (quick ? 1 : 8)) / 2),
    cleanCurves: quick ? 1 : 2,
    sigma2: 1e-3,
    samples,
    batches,
    intervalSamples: Math.round(SPIROMETRY_PAPER.groupSeconds / INTERVAL),
  };
}

import { createDataset, loadTabularCsv, simulatedClusters, standardizeFeatures, subsetDataset, type Dataset } from "@smoothhess/datasets";
import { checkInteger } from "@smoothhess/errors";
import { eluClassifier, eluClassifierProbabilities, eluProbabilityOracle, trainEluClassifier } from "@smoothhess/metrics";
import type { SyncGradientOracle } from "@smoothhess/oracle";
import { deriveSeed, gaussianSampler, seededPermutation } from "@smoothhess/random";
import type { UnificationConfig, UnificationDatasetSpec } from "./config.js";

async function loadDataset(spec: UnificationDatasetSpec, seed: number): Promise<{ data: Dataset; featureNames: string[]; standardise: boolean }> {
  if (spec.name === "simulated") {
    const data = simulatedClusters({ seed });
    const extra = checkInteger("noiseFeatures", spec.noiseFeatures ?? 0, 0);
    if (extra === 0) return { data, featureNames: ["x1", "x2"], standardise: false };
    // the same two informative features, then `extra` independent N(0, 1) columns the label does not depend on
    const d = 2 + extra;
    const x = new Float32Array(data.n * d);
    const rng = gaussianSampler(deriveSeed(seed, 30, extra));
    for (let i = 0; i < data.n; i++) {
      x[i * d] = data.x[2 * i];
      x[i * d + 1] = data.x[2 * i + 1];
      for (let j = 2; j < d; j++) x[i * d + j] = rng.normal();
    }
    const names = Array.from({ length: d }, (_, j) => `x${j + 1}`);
    return { data: createDataset({ x, y: data.y, shape: [d], classes: data.classes ? [...data.classes] : undefined }), featureNames: names, standardise: false };
  }
  const loaded = await loadTabularCsv(spec.file!, { label: spec.label!, positive: spec.positive });
  return { data: loaded.dataset, featureNames: [...loaded.featureNames], standardise: true };
}

/** Share of `data` whose arg-max class is the label. */
export function accuracy(net: ReturnType<typeof eluClassifier>, data: Dataset): number {
  let right = 0;
  for (let i = 0; i < data.n; i++) {
    const p = eluClassifierProbabilities(net, data.x.subarray(i * data.d, (i + 1) * data.d));
    let best = 0;
    for (let c = 1; c < p.length; c++) if (p[c] > p[best]) best = c;
    if (best === data.y[i]) right++;
  }
  return right / data.n;
}

/** One dataset of a unification run, split, standardised and with its trained ELU network. */
export interface PreparedUnificationDataset {
  readonly train: Dataset;
  readonly test: Dataset;
  readonly featureNames: readonly string[];
  readonly net: ReturnType<typeof eluClassifier>;
  /** Training loss per epoch. */
  readonly losses: readonly number[];
  /** The class-1 probability of `net` with exact gradients: the f that is explained. */
  readonly oracle: SyncGradientOracle;
}

/** §6.1: load a dataset, split it 80 / 20, standardise real datasets with the training statistics, train the network. */
export async function prepareUnificationDataset(
  spec: UnificationDatasetSpec,
  config: Pick<UnificationConfig, "seed" | "hidden">,
): Promise<PreparedUnificationDataset> {
  const { data: raw, featureNames, standardise } = await loadDataset(spec, config.seed);
  const order = seededPermutation(raw.n, deriveSeed(config.seed, 1));
  const trainSize = Math.round(0.8 * raw.n);
  let train = subsetDataset(raw, order.subarray(0, trainSize));
  let test = subsetDataset(raw, order.subarray(trainSize));
  if (standardise) {
    const scaled = standardizeFeatures(train);
    train = scaled.dataset;
    test = standardizeFeatures(test, subsetDataset(raw, order.subarray(0, trainSize))).dataset;
  }
  const net = eluClassifier([raw.d, ...config.hidden, 2], deriveSeed(config.seed, 2));
  const losses = trainEluClassifier(net, train.x, train.y, { epochs: spec.epochs, seed: deriveSeed(config.seed, 3) });
  return { train, test, featureNames, net, losses, oracle: eluProbabilityOracle(net, 1) };
}

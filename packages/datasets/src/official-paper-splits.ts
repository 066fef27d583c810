import { InvalidArgumentError } from "@smoothhess/errors";
import { type DatasetSplits, subsetDataset } from "./dataset.js";
import type { OfficialSplits } from "./mnist-idx.js";

/**
 * The paper's 50,000 / 10,000 / 10,000 split of an official distribution (App. E): the first `train` official
 * training images for training, the next `validation` for validation, and the official test set. Contiguous, not
 * shuffled, because that is how the SmoothHess authors' MNIST checkpoint was trained: it classifies the first 50,000
 * official training images 99.95 % correctly, the last 10,000 98.1 % and the official test set 98.0 % (measured
 * with `packages/onnx/fixtures/authors-mnist-mlp.onnx`), so its validation and test points must come from those
 * held-out parts.
 *
 * @param official - the official training and test sets ({@link loadPackagedMnist}, {@link loadMnistIdx}).
 * @param sizes - training and validation counts (default 50,000 and 10,000); their sum must not exceed the
 *   official training set.
 * @throws {@link InvalidArgumentError} naming `sizes.train` / `sizes.validation`.
 */
export function officialPaperSplits(
  official: OfficialSplits,
  sizes: { readonly train: number; readonly validation: number } = { train: 50_000, validation: 10_000 },
): DatasetSplits {
  const n = official.train.n;
  for (const key of ["train", "validation"] as const) {
    const value = sizes[key];
    if (!Number.isInteger(value) || value < 0) throw new InvalidArgumentError(`sizes.${key}`, "a non-negative integer", value);
  }
  if (sizes.train + sizes.validation > n) {
    throw new InvalidArgumentError("sizes.validation", `at most ${n - sizes.train} (the official training set holds ${n} images)`, sizes.validation);
  }
  const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);
  return {
    train: subsetDataset(official.train, range(0, sizes.train)),
    validation: subsetDataset(official.train, range(sizes.train, sizes.validation)),
    test: official.test,
  };
}

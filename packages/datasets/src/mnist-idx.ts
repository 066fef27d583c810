import { InvalidArgumentError } from "@smoothhess/errors";
import { FASHION_MNIST_CLASSES, MNIST_CLASSES } from "./class-names.js";
import { type Dataset, createDataset } from "./dataset.js";
import { DatasetFormatError } from "./dataset-file-error.js";
import { findFile } from "./find-file.js";
import { readIdx } from "./idx.js";

/** The official training and test sets of an IDX distribution (MNIST: 60,000 and 10,000 images). */
export interface OfficialSplits {
  /** The official training set. */
  readonly train: Dataset;
  /** The official test set. */
  readonly test: Dataset;
}

/** Options of {@link loadMnistIdx}. */
export interface IdxImagesOptions {
  /** Class names, indexed by label (default: the digits, {@link MNIST_CLASSES}). */
  classes?: readonly string[];
}

/**
 * Names tried for each file, in order: the official names (`train-images-idx3-ubyte`), the variant with a dot
 * before `idx` found in some mirrors (`train-images.idx3-ubyte`), each uncompressed first, then gzipped.
 */
function candidates(part: "train" | "t10k", kind: "images" | "labels"): string[] {
  const rank = kind === "images" ? 3 : 1;
  const names = [`${part}-${kind}-idx${rank}-ubyte`, `${part}-${kind}.idx${rank}-ubyte`];
  return [...names, ...names.map((n) => `${n}.gz`)];
}

/**
 * Load the official MNIST distribution — `train-images-idx3-ubyte`, `train-labels-idx1-ubyte`,
 * `t10k-images-idx3-ubyte`, `t10k-labels-idx1-ubyte`, each plain or gzipped (`.gz`) — from a directory the
 * user downloaded it to. Fashion-MNIST uses the same file names and format: see {@link loadFashionMnistIdx}.
 *
 * Pixels are scaled from 0..255 to [0, 1] (`v / 255`) and each 28×28 image is flattened row by row to 784
 * features, as in the paper; `shape = [28, 28, 1]`; labels are `Int32Array` class indices. Nothing is
 * downloaded: pass the directory that holds the files. Every file is streamed once.
 *
 * For the paper's split, cut the official training set into 50,000 + 10,000 with
 * `splitDataset(train, { train: 50_000, validation: 10_000 }, { seed })` and keep the official test set.
 *
 * @param directory - directory holding the four files.
 * @param options - class names (default: digits).
 * @returns the official training set (60,000 images for MNIST) and test set (10,000).
 * @throws {@link DatasetFileError} naming the directory and the names tried when a file is missing;
 *   {@link DatasetFormatError} naming the file for a wrong magic number, truncated data, a label outside the
 *   classes, or (naming both files) a label count that differs from the image count.
 */
export async function loadMnistIdx(directory: string, options: IdxImagesOptions = {}): Promise<OfficialSplits> {
  const classes = options.classes ?? MNIST_CLASSES;
  if (!Array.isArray(classes) || classes.length === 0 || classes.length > 256) {
    throw new InvalidArgumentError("options.classes", "an array of 1 to 256 class names", classes);
  }
  const train = await loadIdxPair(
    await findFile(directory, candidates("train", "images")),
    await findFile(directory, candidates("train", "labels")),
    classes,
  );
  const test = await loadIdxPair(
    await findFile(directory, candidates("t10k", "images")),
    await findFile(directory, candidates("t10k", "labels")),
    classes,
  );
  return { train, test };
}

/**
 * Load the official Fashion-MNIST distribution (same file names and format as MNIST) from a directory:
 * {@link loadMnistIdx} with the Fashion-MNIST class names ({@link FASHION_MNIST_CLASSES}).
 */
export async function loadFashionMnistIdx(directory: string): Promise<OfficialSplits> {
  return loadMnistIdx(directory, { classes: FASHION_MNIST_CLASSES });
}

/**
 * One images file (IDX, uint8, 3 dimensions `n×rows×cols`) and its labels file (IDX, uint8, 1 dimension `n`)
 * as a {@link Dataset} with pixels in [0, 1].
 *
 * @param imagesFile - path of the images file.
 * @param labelsFile - path of the labels file.
 * @param classes - class names; every label must index into it (default: digits).
 * @throws as {@link loadMnistIdx}.
 */
export async function loadIdxPair(
  imagesFile: string,
  labelsFile: string,
  classes: readonly string[] = MNIST_CLASSES,
): Promise<Dataset> {
  const images = await readIdx(imagesFile, { type: "uint8", rank: 3 });
  const labels = await readIdx(labelsFile, { type: "uint8", rank: 1 });
  const [n, rows, cols] = images.dims;
  if (labels.dims[0] !== n) {
    throw new DatasetFormatError(
      labelsFile,
      `holds ${labels.dims[0]} labels but ${imagesFile} holds ${n} images: the counts must match`,
    );
  }
  if (rows === 0 || cols === 0) {
    throw new DatasetFormatError(imagesFile, `declares images of ${rows}×${cols} pixels, expected at least 1×1`);
  }
  const pixels = images.data as Uint8Array;
  const x = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) x[i] = pixels[i] / 255;
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const label = labels.data[i];
    if (label >= classes.length) {
      throw new DatasetFormatError(labelsFile, `label ${i} is ${label}, expected a class index in [0, ${classes.length - 1}]`);
    }
    y[i] = label;
  }
  return createDataset({ x, y, shape: [rows, cols, 1], classes });
}

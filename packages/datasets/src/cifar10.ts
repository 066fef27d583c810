import { stat } from "node:fs/promises";
import { join } from "node:path";
import { InvalidArgumentError } from "@smoothhess/errors";
import { CIFAR10_CLASSES } from "./class-names.js";
import { type Dataset, createDataset } from "./dataset.js";
import { DatasetFormatError } from "./dataset-file-error.js";
import { type FileChunks, openChunks } from "./file-chunks.js";
import { checkDirectory, findFile } from "./find-file.js";
import type { OfficialSplits } from "./mnist-idx.js";

/** Bytes of one CIFAR-10 record: 1 label byte, then 1024 red, 1024 green and 1024 blue pixel bytes. */
export const CIFAR10_RECORD_BYTES = 1 + 3 * 32 * 32;

/** Side of a CIFAR-10 image, in pixels. */
const SIDE = 32;
const PLANE = SIDE * SIDE;

/**
 * Order of the features of a colour image: `"hwc"` (height, width, channel — TensorFlow.js' layout;
 * pixel `(r, c)` channel `k` is feature `(r·32 + c)·3 + k`) or `"chw"` (channel planes, as stored in the
 * CIFAR-10 files and used by PyTorch; feature `k·1024 + r·32 + c`).
 */
export type ImageLayout = "hwc" | "chw";

/** Options of the CIFAR-10 loaders. */
export interface Cifar10Options {
  /** Feature order of each image (default `"hwc"`, `shape = [32, 32, 3]`; `"chw"` gives `[3, 32, 32]`). */
  layout?: ImageLayout;
}

/** The training batches, then the test batch, of the official binary distribution. */
const TRAIN_BATCHES = [1, 2, 3, 4, 5].map((k) => `data_batch_${k}.bin`);
const TEST_BATCH = "test_batch.bin";

/**
 * Load the official CIFAR-10 **binary** distribution (`cifar-10-binary.tar.gz`, extracted) from a directory:
 * either the `cifar-10-batches-bin` folder itself or the folder that contains it. The five training batches
 * (`data_batch_1.bin` … `data_batch_5.bin`, 50,000 images) form `train`, `test_batch.bin` (10,000) `test`.
 *
 * Each record is one label byte (0–9) and 3072 pixel bytes (the red, green and blue 32×32 planes, row by
 * row); pixels are scaled to [0, 1] (`v / 255`), labels become `Int32Array` class indices with
 * {@link CIFAR10_CLASSES}. Files are sized first, then streamed once straight into one float32 buffer per
 * split (50,000 × 3072 × 4 B ≈ 614 MB for the training set). No data is downloaded.
 *
 * For the paper's split (App. E: 40,000 / 10,000 / 10,000), cut `train` with
 * `splitDataset(train, { train: 40_000, validation: 10_000 }, { seed })` and keep `test`.
 *
 * @param directory - the extracted distribution.
 * @param options - feature layout (default `"hwc"`).
 * @throws {@link DatasetFileError} naming the directory when a batch file is missing;
 *   {@link DatasetFormatError} naming the file when it is gzip-compressed, is not a whole number of
 *   3073-byte records (truncated), or holds a label outside 0–9 (naming the record).
 */
export async function loadCifar10(directory: string, options: Cifar10Options = {}): Promise<OfficialSplits> {
  checkLayout(options.layout);
  await checkDirectory(directory);
  const nested = join(directory, "cifar-10-batches-bin");
  const root = (await isDirectory(nested)) ? nested : directory;
  const trainFiles: string[] = [];
  for (const name of TRAIN_BATCHES) trainFiles.push(await findFile(root, [name]));
  const testFile = await findFile(root, [TEST_BATCH]);
  return {
    train: await readCifar10Batches(trainFiles, options),
    test: await readCifar10Batches([testFile], options),
  };
}

/**
 * Read CIFAR-10 binary batch files (any number, in order) into one {@link Dataset}; see {@link loadCifar10}
 * for the format, scaling and errors.
 *
 * @param files - paths of batch files in the official binary format.
 * @param options - feature layout (default `"hwc"`).
 */
export async function readCifar10Batches(files: readonly string[], options: Cifar10Options = {}): Promise<Dataset> {
  const layout = checkLayout(options.layout);
  if (!Array.isArray(files) || files.some((f) => typeof f !== "string")) {
    throw new InvalidArgumentError("files", "an array of file paths", files);
  }
  const opened: { file: string; chunks: FileChunks; records: number }[] = [];
  try {
    for (const file of files) {
      const chunks = await openChunks(file);
      opened.push({ file, chunks, records: 0 });
      if (chunks.gzip) {
        throw new DatasetFormatError(file, "is gzip-compressed: CIFAR-10 batches are read as the plain .bin files of cifar-10-binary.tar.gz");
      }
      if (chunks.size % CIFAR10_RECORD_BYTES !== 0) {
        throw new DatasetFormatError(
          file,
          `is truncated or padded: ${chunks.size} bytes is not a whole number of ${CIFAR10_RECORD_BYTES}-byte records ` +
            `(${Math.floor(chunks.size / CIFAR10_RECORD_BYTES)} records and ${chunks.size % CIFAR10_RECORD_BYTES} bytes)`,
        );
      }
      opened[opened.length - 1].records = chunks.size / CIFAR10_RECORD_BYTES;
    }
  } catch (error) {
    for (const o of opened) o.chunks.close();
    throw error;
  }
  const n = opened.reduce((s, o) => s + o.records, 0);
  const x = new Float32Array(n * 3 * PLANE);
  const y = new Int32Array(n);
  let row = 0;
  for (let k = 0; k < opened.length; k++) {
    const { file, chunks, records } = opened[k];
    try {
      row = await readRecords(file, chunks, records, x, y, row, layout);
    } catch (error) {
      for (const o of opened.slice(k)) o.chunks.close();
      throw error;
    }
  }
  return createDataset({ x, y, shape: layout === "hwc" ? [SIDE, SIDE, 3] : [3, SIDE, SIDE], classes: CIFAR10_CLASSES });
}

/** Stream `records` records of one file into `x`/`y` from row `row`; returns the next free row. */
async function readRecords(
  file: string,
  { chunks }: FileChunks,
  records: number,
  x: Float32Array,
  y: Int32Array,
  row: number,
  layout: ImageLayout,
): Promise<number> {
  const record = new Uint8Array(CIFAR10_RECORD_BYTES);
  let filled = 0;
  let seen = 0;
  const end = row + records;
  for await (const chunk of chunks) {
    let at = 0;
    while (at < chunk.length) {
      const take = Math.min(CIFAR10_RECORD_BYTES - filled, chunk.length - at);
      record.set(chunk.subarray(at, at + take), filled);
      filled += take;
      at += take;
      if (filled < CIFAR10_RECORD_BYTES) break;
      filled = 0;
      if (row >= end) throw new DatasetFormatError(file, `grew while being read: more than ${records} records`);
      const label = record[0];
      if (label > 9) throw new DatasetFormatError(file, `record ${seen} has label ${label}, expected 0–9`);
      y[row] = label;
      writeImage(record, x, row * 3 * PLANE, layout);
      row++;
      seen++;
    }
  }
  if (row !== end || filled !== 0) {
    throw new DatasetFormatError(file, `changed while being read: expected ${records} records, read ${seen}`);
  }
  return row;
}

function writeImage(record: Uint8Array, x: Float32Array, offset: number, layout: ImageLayout): void {
  if (layout === "chw") {
    for (let k = 0; k < 3 * PLANE; k++) x[offset + k] = record[1 + k] / 255;
    return;
  }
  for (let p = 0; p < PLANE; p++) {
    x[offset + 3 * p] = record[1 + p] / 255;
    x[offset + 3 * p + 1] = record[1 + PLANE + p] / 255;
    x[offset + 3 * p + 2] = record[1 + 2 * PLANE + p] / 255;
  }
}

function checkLayout(layout: unknown): ImageLayout {
  if (layout === undefined) return "hwc";
  if (layout !== "hwc" && layout !== "chw") throw new InvalidArgumentError("options.layout", '"hwc" or "chw"', layout);
  return layout;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

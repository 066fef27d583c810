import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "./usage-error.js";

/**
 * The four files of the official Fashion-MNIST distribution (Zalando's names, which are MNIST's), each accepted
 * plain or gzipped, as `loadFashionMnistIdx` of `@smoothhess/datasets` reads them.
 */
export const FASHION_MNIST_IDX_FILES: readonly string[] = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

/** Official Fashion-MNIST files found under `--data-dir`. */
export interface FashionMnistFiles {
  /** The folder that holds them: `--data-dir` itself or its `fashion-mnist/` subfolder. */
  readonly folder: string;
  /**
   * SHA-256 over the four files' own SHA-256s, in {@link FASHION_MNIST_IDX_FILES} order: names the data in the
   * configuration (and so in the checkpoints' fingerprint) without this machine's path.
   */
  readonly sha256: string;
}

/** The start of the data source of official Fashion-MNIST files (the rest names their hash and the split). */
const DATA_SOURCE_PREFIX = "Fashion-MNIST official IDX files";

/**
 * The official Fashion-MNIST files in `directory` or its `fashion-mnist/` subfolder, with their content hash; or
 * undefined where neither folder holds all four (plain or `.gz`).
 */
export function findFashionMnistFiles(directory: string): FashionMnistFiles | undefined {
  for (const folder of [directory, join(directory, "fashion-mnist")]) {
    const paths = FASHION_MNIST_IDX_FILES.map((name) => [join(folder, name), join(folder, `${name}.gz`)].find((path) => existsSync(path)));
    if (paths.every((path) => path !== undefined)) {
      const digests = paths.map((path) => createHash("sha256").update(readFileSync(path!)).digest("hex"));
      return { folder, sha256: createHash("sha256").update(digests.join("\n")).digest("hex") };
    }
  }
  return undefined;
}

/**
 * The data source of official Fashion-MNIST files for the configuration: their hash and the paper's split (the
 * first 50,000 official training images / the next 10,000 / the official test set, as MNIST's).
 */
export function fashionMnistDataSource(files: FashionMnistFiles): string {
  return `${DATA_SOURCE_PREFIX} (SHA-256 ${files.sha256.slice(0, 16)}): official training images 1-50,000 / 50,001-60,000 / official test set`;
}

/** Whether a configuration's data source is official Fashion-MNIST files from `--data-dir`. */
export function isFashionMnistFilesSource(data: string): boolean {
  return data.startsWith(DATA_SOURCE_PREFIX);
}

/**
 * The folder of the official Fashion-MNIST files a configuration was made with: `--data-dir` must hold the same
 * files (by content) when the run loads them, e.g. in a later session or a merge.
 * @throws {@link UsageError} when `--data-dir` is missing or holds no such files, or other ones.
 */
export function fashionMnistFolderFor(data: string, directory: string | undefined): string {
  const files = directory === undefined ? undefined : findFashionMnistFiles(directory);
  if (files === undefined) {
    throw new UsageError(`this configuration's Fashion-MNIST is official IDX files given with --data-dir; pass --data-dir with the files (${FASHION_MNIST_IDX_FILES.join(", ")}, plain or .gz)`);
  }
  if (fashionMnistDataSource(files) !== data) {
    throw new UsageError(`--data-dir ${JSON.stringify(directory)} holds other Fashion-MNIST files (SHA-256 ${files.sha256.slice(0, 16)}) than this configuration's (${data})`);
  }
  return files.folder;
}

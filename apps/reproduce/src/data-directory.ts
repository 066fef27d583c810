import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "./usage-error.js";

/** The files of the official CIFAR-10 binary version (`cifar-10-binary.tar.gz`, extracted). */
export const CIFAR10_BINARY_FILES: readonly string[] = ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin"];

/**
 * Check that `--data-dir` points at a dataset before any work starts: the directory exists and holds the dataset's
 * files (directly or in the `cifar-10-batches-bin/` folder the archive extracts to). Returns the folder that holds
 * them.
 * @throws {@link UsageError} (one line, exit code 2) naming the directory and the first missing file.
 */
export function checkDataDirectory(directory: string, dataset: "cifar10"): string {
  if (!existsSync(directory) || !statSync(directory).isDirectory()) {
    throw new UsageError(`--data-dir ${JSON.stringify(directory)} does not exist or is not a directory`);
  }
  void dataset;
  const candidates = [directory, join(directory, "cifar-10-batches-bin")];
  for (const folder of candidates) {
    if (CIFAR10_BINARY_FILES.every((file) => existsSync(join(folder, file)))) return folder;
  }
  const missing = CIFAR10_BINARY_FILES.find((file) => !existsSync(join(directory, file)));
  throw new UsageError(`--data-dir ${JSON.stringify(directory)} holds no CIFAR-10 binaries (missing ${missing}; extract cifar-10-binary.tar.gz there)`);
}

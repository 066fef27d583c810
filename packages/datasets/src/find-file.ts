import { stat } from "node:fs/promises";
import { join } from "node:path";
import { DatasetFileError } from "./dataset-file-error.js";

/**
 * The first of `names` that exists as a regular file in `directory`, as a full path.
 * @throws {@link DatasetFileError} naming the directory and every name tried when none exists.
 */
export async function findFile(directory: string, names: readonly string[]): Promise<string> {
  await checkDirectory(directory);
  for (const name of names) {
    const path = join(directory, name);
    try {
      if ((await stat(path)).isFile()) return path;
    } catch {
      // not there: try the next name
    }
  }
  throw new DatasetFileError(directory, `has none of the files ${names.join(", ")}`);
}

/** @throws {@link DatasetFileError} when `directory` does not exist or is not a directory. */
export async function checkDirectory(directory: string): Promise<void> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(directory)).isDirectory();
  } catch (error) {
    throw new DatasetFileError(directory, "directory not found", { cause: error });
  }
  if (!isDirectory) throw new DatasetFileError(directory, "is not a directory");
}

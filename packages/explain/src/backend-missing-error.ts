import { SmoothHessError } from "@smoothhess/errors";

/** Explaining this kind of model needs a backend package that is not installed (an optional peer dependency). */
export class BackendMissingError extends SmoothHessError {
  /** The npm package to install. */
  readonly packageName: string;

  constructor(packageName: string, what: string, cause?: unknown) {
    super("backend-missing", `explaining ${what} needs \`${packageName}\` (an optional peer dependency of @smoothhess/explain): install it`, { cause });
    this.packageName = packageName;
  }
}

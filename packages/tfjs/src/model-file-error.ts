import { SmoothHessError } from "@smoothhess/errors";

/** A saved model or checkpoint directory is missing, unreadable, or does not match what was asked for. */
export class ModelFileError extends SmoothHessError {
  /** The directory at fault. */
  readonly path: string;

  constructor(path: string, detail: string, cause?: unknown) {
    super("model-file", `${path}: ${detail}`, { cause });
    this.path = path;
  }
}

import { SmoothHessError } from "@smoothhess/errors";

/**
 * A file this app wrote and reads back (a checkpoint, a checkpoint manifest, a cached model's record) is not what
 * was written: not valid JSON, not in the sealed format, or its content does not match its SHA-256. The message is
 * one line and names the file; the app recomputes (or retrains) the item instead of using it.
 */
export class CorruptFileError extends SmoothHessError {
  /** The file at fault. */
  readonly path: string;

  constructor(path: string, detail: string, cause?: unknown) {
    super("corrupt-file", `${path}: ${detail}`, { cause });
    this.path = path;
  }
}

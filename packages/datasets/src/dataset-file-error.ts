import { SmoothHessError } from "@smoothhess/errors";

/**
 * A dataset file (or a directory of them) could not be opened or read: it is missing, is a directory, or
 * the operating system refused it. {@link DatasetFileError.file} names the path and
 * {@link DatasetFileError.problem} says what went wrong; the message is `"<file>: <problem>"`.
 *
 * Its subclass {@link DatasetFormatError} covers files that were read but whose contents are wrong.
 */
export class DatasetFileError extends SmoothHessError {
  /** The path of the file (or directory) at fault, as the caller gave it or as the loader built it. */
  readonly file: string;
  /** What is wrong with it, in words, e.g. `"not found (tried train-images-idx3-ubyte, …)"`. */
  readonly problem: string;

  /**
   * @param file - the path at fault.
   * @param problem - what is wrong, as a phrase that follows `"<file>: "`.
   * @param options - standard `ErrorOptions`; `cause` carries the underlying system error, if any.
   * @param code - override of the error code, for subclasses.
   */
  constructor(file: string, problem: string, options?: ErrorOptions, code = "dataset-file") {
    super(code, `${file}: ${problem}`, options);
    this.file = file;
    this.problem = problem;
  }
}

/**
 * A dataset file was read but its contents do not follow its format: a wrong magic number, data shorter or
 * longer than its header declares, a label out of range, a label count that differs from the image count,
 * a non-numeric CSV field. The message is `"<file>: <problem>"` and names the place (byte, record, line and
 * column) where the loader can.
 */
export class DatasetFormatError extends DatasetFileError {
  constructor(file: string, problem: string, options?: ErrorOptions) {
    super(file, problem, options, "dataset-format");
  }
}

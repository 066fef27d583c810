/**
 * Base class of every error thrown on purpose by a `@smoothhess/*` package.
 *
 * Catch this to handle all library errors at once; read {@link SmoothHessError.code} to tell them apart
 * without string matching on messages.
 */
export class SmoothHessError extends Error {
  /** A stable, machine-readable identifier such as `"invalid-argument"`. */
  readonly code: string;

  /**
   * @param code - stable identifier of the kind of failure.
   * @param message - a sentence that names what went wrong and what was expected.
   * @param options - standard `ErrorOptions` (use `cause` to chain an underlying error).
   */
  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

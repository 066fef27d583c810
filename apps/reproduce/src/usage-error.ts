import { SmoothHessError } from "@smoothhess/errors";

/**
 * A mistake in how the CLI was called (unknown experiment, ε ≤ 0, a missing data directory…), code `"usage"`. The
 * CLI prints its message on one line and exits with code 2, without a stack trace.
 */
export class UsageError extends SmoothHessError {
  constructor(message: string) {
    super("usage", message);
  }
}

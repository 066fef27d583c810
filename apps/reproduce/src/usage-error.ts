/**
 * A mistake in how the CLI was called (unknown experiment, ε ≤ 0, a missing data directory…). The CLI prints
 * its message on one line and exits with code 2, without a stack trace.
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

import { SmoothHessError } from "./smoothhess-error.js";

/**
 * A long computation stopped because its `AbortSignal` fired. `reason` carries the signal's reason and
 * `completed` how much work was finished (in the unit the thrower documents, e.g. samples).
 */
export class AbortedError extends SmoothHessError {
  /** The value of `signal.reason`. */
  readonly reason: unknown;
  /** Units of work finished before the abort, as documented by the thrower. */
  readonly completed: number;

  constructor(what: string, completed: number, reason: unknown) {
    super("aborted", `${what} was aborted after ${completed} completed`, { cause: reason });
    this.reason = reason;
    this.completed = completed;
  }
}

/**
 * Throw an {@link AbortedError} if `signal` has fired.
 *
 * @param signal - optional signal to check.
 * @param what - what is being aborted, for the message (e.g. `"smoothHess"`).
 * @param completed - how much work was done so far.
 */
export function throwIfAborted(signal: AbortSignal | undefined, what: string, completed: number): void {
  if (signal?.aborted) throw new AbortedError(what, completed, signal.reason);
}

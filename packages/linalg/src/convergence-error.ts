import { SmoothHessError } from "@smoothhess/errors";

/**
 * An iterative method stopped before meeting its tolerance (code `"no-convergence"`).
 *
 * `partial` carries whatever the method had when it gave up (for `topEigen`: the current Ritz pairs and their
 * residuals), so a caller that can live with a looser answer can still use it.
 */
export class ConvergenceError extends SmoothHessError {
  /** The function that gave up, e.g. `"topEigen"`. */
  readonly method: string;
  /** The best estimate at the time of failure, when the method has one. */
  readonly partial: unknown;

  /**
   * @param method - name of the function that did not converge.
   * @param detail - what did not converge and after how much work.
   * @param partial - the best estimate so far, if any.
   */
  constructor(method: string, detail: string, partial?: unknown) {
    super("no-convergence", `${method}: ${detail}`);
    this.method = method;
    this.partial = partial;
  }
}

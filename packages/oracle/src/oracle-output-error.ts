import { SmoothHessError } from "@smoothhess/errors";

/**
 * An oracle returned something that breaks the {@link GradientOracle} contract: a wrong length, a missing
 * field, or a non-finite value. The message names the batch (0-based count of calls made through the
 * checking wrapper) and, for non-finite values, the point and coordinate.
 */
export class OracleOutputError extends SmoothHessError {
  /** 0-based index of the offending call through the checking wrapper. */
  readonly batch: number;
  /** Index of the first bad point within the batch, or -1 when the problem is the batch's shape. */
  readonly point: number;

  constructor(batch: number, point: number, problem: string) {
    super("oracle-output", `oracle batch ${batch}: ${problem}`);
    this.batch = batch;
    this.point = point;
  }
}

/** One σ² of the SmoothHess sweep. */
export interface SmoothHessRow {
  readonly sigma2: number;
  readonly h11: number;
  readonly h12: number;
  readonly h22: number;
  readonly h11StandardError: number;
  readonly h12StandardError: number;
  readonly h22StandardError: number;
}

/** One β of the SoftPlus sweep. */
export interface SoftplusRow {
  readonly beta: number;
  readonly h11: number;
  readonly h12: number;
  readonly h22: number;
}

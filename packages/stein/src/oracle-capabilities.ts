/**
 * What a gradient oracle may declare, beyond the `GradientOracle` contract, so that the gradient estimators
 * (`smoothHess`, `smoothGrad`, `smoothHessFactored`) save work. A capability never changes a number: an estimate
 * with it equals the estimate without it to the bit. Oracles of `@smoothhess/onnx` declare them; any oracle may.
 */
export interface SteinOracleCapabilities {
  /**
   * `"float32"`: the oracle rounds every point to float32 before it computes (as a float32 ONNX or tfjs model
   * does). The estimators then write the perturbed points as a `Float32Array` directly, rounding each coordinate
   * of x₀ ± δ (computed in float64) once, as the oracle's own conversion would, and the oracle copies instead of
   * converting. Anything else, or nothing: `Float64Array` points.
   */
  readonly pointPrecision?: "float32" | "float64";
}

/** Whether `oracle` declares {@link SteinOracleCapabilities.pointPrecision} `"float32"`. */
export function takesFloat32Points(oracle: object): boolean {
  return (oracle as SteinOracleCapabilities).pointPrecision === "float32";
}

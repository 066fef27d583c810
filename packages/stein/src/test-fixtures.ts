import {
  covariance,
  networkOracle,
  randomDenseNetwork,
  smoothedShallowRelu,
  type Covariance,
  type GradientOracle,
  type SyncGradientOracle,
} from "@smoothhess/oracle";

/** A one-hidden-layer ReLU network whose Gaussian smoothing is known in closed form. */
export const shallow = randomDenseNetwork([4, 12, 1], { seed: 21, biasScale: 0.4 });
export const shallowOracle = networkOracle(shallow);
export const x0 = new Float64Array([0.3, -0.2, 0.5, 0.1]);

/** The three covariance kinds the estimators must handle. */
export const covariances: [string, Covariance][] = [
  ["isotropic", covariance({ sigma: 0.4 }, 4)],
  ["diagonal", covariance({ diagonal: [0.1, 0.3, 0.05, 0.2] }, 4)],
  ["full", covariance({ matrix: [0.2, 0.05, 0, 0.02, 0.05, 0.15, -0.03, 0, 0, -0.03, 0.1, 0.01, 0.02, 0, 0.01, 0.25] }, 4)],
];

/** The exact smoothed value, gradient and Hessian of {@link shallow} at {@link x0}. */
export function exact(sigma: Covariance) {
  return smoothedShallowRelu(shallow, x0, sigma);
}

/** The same oracle answering with float32 gradients, as a GPU backend would. */
export function float32Oracle(inner: SyncGradientOracle): GradientOracle {
  return {
    dim: inner.dim,
    evaluate(points, n) {
      const { values, gradients } = inner.evaluate(points, n);
      return { values, gradients: Float32Array.from(gradients) };
    },
  };
}

/** Mean of (error/standardError)² over the entries: ≈ 1 when the standard errors are calibrated. */
export function meanSquaredZ(estimate: ArrayLike<number>, truth: ArrayLike<number>, se: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < estimate.length; i++) s += ((estimate[i] - truth[i]) / se[i]) ** 2;
  return s / estimate.length;
}

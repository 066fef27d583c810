/**
 * What the paper reports for Fig. 5 (App. F.3, Nested Interactions). The figure has no table; these are the
 * numbers its caption and App. E state.
 */
export const FIGURE_5 = {
  /** App. E.1: the 6-layer ReLU MLP reaches a final training MSE of ≈ 1e-1. */
  trainingMse: 1e-1,
  /** App. E.1: RMSProp, batch 64, learning rate 1e-3 ×0.1 at 40k, 80k, 120k, 160k; 200,000 iterations. */
  recipe: { iterations: 200_000, batchSize: 64, learningRate: 1e-3, milestones: [40_000, 80_000, 120_000, 160_000], factor: 0.1 },
  /** Caption (a): σ² sampled granularly in [1e-6, 10]. */
  sigma2Range: [1e-6, 10] as const,
  /** Caption (b): β sampled granularly in [1e-1, 1e4] (App. F.3's text says "{1e-1, …, 4.0}"; the figure's axis and caption say 1e4). */
  betaRange: [1e-1, 1e4] as const,
  /** Caption: below log₁₀σ² = −4 SmoothHess shows hyper-local noise or a near-zero Hessian. */
  noisyBelowLog10Sigma2: -4,
  /** Caption: from log₁₀σ² = −4, H₁₁ ≈ 1 and H₁₂ ≈ 1 … */
  plateauFromLog10Sigma2: -4,
  /** … until H₁₁ "begins to dip to 0 around log₁₀σ² = −1.5" … */
  h11DipLog10Sigma2: -1.5,
  /** … and H₁₂ "begins to dip toward −5" around log₁₀σ² = −1 … */
  h12DipLog10Sigma2: -1,
  /** … until log₁₀σ² = 0, where samples outside the training distribution enter the estimate. */
  outOfDistributionLog10Sigma2: 0,
  /** The interactions known to occur in the data: inner disc ‖x‖ < 0.6, ring 0.6 ≤ ‖x‖ < 1.2, outside. */
  regions: {
    inner: { h11: 1, h12: 1, h22: 0 },
    ring: { h11: 0, h12: 1, h22: 0 },
    outside: { h11: 0, h12: -5, h22: 0 },
  },
  /** Caption (b): for the SoftPlus Hessian "it is not apparent that the variety of interactions … are captured, either in relative ordering or magnitude". */
  softplusCapturesRegions: false,
} as const;

/**
 * What the paper reports for Fig. 2 (Sec. 5, Four Quadrant; App. E.1). The figure has no table; these are the
 * numbers its caption and text state.
 */
export const FIGURE_2 = {
  /** App. E.1: training MSE ≈ 1e-4 after 40,000 iterations. */
  trainingMse: "≈ 1e-4 (40,000 iterations)",
  /** Caption (a): SmoothHess H₁₂ stays at the quadrant average. */
  smoothHessBand: "≈ 2.5 for σ² > 10^-2.5",
  /** Share of those σ² within ±10 % of 2.5. */
  smoothHessShare: "all",
  /** Caption (b): SoftPlus reaches the quadrant average only in a narrow β range. */
  softplusRange: "2.5 reached only briefly, log₁₀β ∈ [2, 3.5]",
  /** Share of the β grid within ±10 % of 2.5. */
  softplusShare: "small",
} as const;

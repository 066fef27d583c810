/**
 * What the paper states for the spirometry experiment (Sec. 5 "Qualitative Analysis of FEV₁ Prediction", Figs. 3
 * and 4, App. E.1). The figures have no tables; these are the
 * numbers and claims of the text and captions.
 */
export const SPIROMETRY_PAPER = {
  /** App. E.1: efforts rejected for coughing, 8,721 curves, split 80 % train / 20 % test. */
  curves: 8721,
  trainShare: 0.8,
  /** App. E.1: 10 ms curves downsampled to 50 ms and cut at 15 s: 300 features. */
  features: 300,
  sampleInterval: 0.05,
  /** Sec. 5: features grouped into 0.5 s intervals; interactions with respect to the first 0.5 s interval. */
  groupSeconds: 0.5,
  /** App. E.1: 10 convolution blocks of kernel width 200 and 20 channels, batch norm, dropout 0.5, skip connections. */
  model: { blocks: 10, kernel: 200, channels: 20, dropout: 0.5 },
  /** App. E.1: MSE reached on the UK Biobank train and test sets (FEV₁ in litres). */
  trainMse: 0.563,
  testMse: 0.547,
  /** Fig. 3 / Sec. 5: coughs occur "within the first 4 seconds" (sample 1). */
  coughWindowSeconds: 4,
  claims: {
    /** Fig. 3, sample 1 (cough): "the strongest interactions … occur at this initial cough-induced plateau". */
    strongestInteractionAtCough: true,
    /** Sec. 5: for sample 1 "the SmoothGrad attribution for the first 0.5s interval is relatively low" … */
    firstIntervalLowWithCough: true,
    /** … while for sample 2 (no cough in the first 4 s) "the first 0.5s interval … shows high importance". */
    firstIntervalHighWithoutCough: true,
    /** Fig. 4 / Sec. 5: a smaller kernel width "constrains the interactions to features that are spatially close"; the large kernel has "long-ranging interactions". */
    narrowKernelLocalInteractions: true,
  },
} as const;

export type {
  SecondOrderModel,
  SurrogateNetwork,
  HessianBatch,
  HessianVectorProducts,
  LogitJacobian,
} from "./second-order-model.js";
export type { SurrogateActivation, SurrogateActivationInput, ModelActivation } from "./surrogate-activation.js";
export { checkSurrogateActivation, activationLabel } from "./surrogate-activation.js";
export type { SurrogateTarget, ResolvedSurrogateTarget, TargetShape } from "./surrogate-target.js";
export { resolveSurrogateTarget } from "./surrogate-target.js";
export { headDerivatives } from "./output-head.js";
export type { HeadDerivatives } from "./output-head.js";
export { referenceModel } from "./reference-model.js";
export type { ReferenceModel, ReferenceModelOptions } from "./reference-model.js";
export { referenceSurrogates } from "./reference-surrogates.js";
export { lowRankHessian } from "./low-rank-hessian.js";
export type { LowRankHessian, LowRankEigenOptions } from "./low-rank-hessian.js";
export { crossEntropyHessian, softmaxHessian } from "./logit-head-hessian.js";
export type { LogitHeadHessian } from "./logit-head-hessian.js";
export { betaSweep } from "./beta-sweep.js";
export type { BetaSweepOptions, BetaSweepStep } from "./beta-sweep.js";
export { UnsupportedLayerError } from "./unsupported-layer-error.js";
export { NoReluError } from "./no-relu-error.js";

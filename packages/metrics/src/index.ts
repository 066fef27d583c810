export { taylorModel } from "./taylor-model.js";
export type { TaylorModel, TaylorModelSpec } from "./taylor-model.js";
export type { HessianInput, HessianOperator } from "./hessian-input.js";
export { hessianEigen, FACTORED_ALL_PAIRS_MAX_DIM, FACTORED_DEFAULT_ENERGY } from "./hessian-eigen.js";
export type { HessianEigenOptions } from "./hessian-eigen.js";
export { ballSampler, sampleBall } from "./ball-sampler.js";
export type { BallSampler, BallSamplerOptions, BallSampling } from "./ball-sampler.js";
export { perturbationMSE } from "./perturbation-mse.js";
export type { PerturbationMSEOptions, PerturbationMSEResult } from "./perturbation-mse.js";
export { perturbationBalls } from "./perturbation-balls.js";
export type { BallModel, PerturbationBallPoints, PerturbationBallSpec, PerturbationBalls, PerturbationBallsOptions } from "./perturbation-balls.js";
export type { BoundQuadraticForms, QuadraticFormKernel } from "./quadratic-form-kernel.js";
export { linalgQuadraticFormKernel } from "./linalg-quadratic-form-kernel.js";
export type { LinalgQuadraticFormKernelOptions } from "./linalg-quadratic-form-kernel.js";
export type { AttackResult, AttackSpec, DataRange } from "./attack-result.js";
export { firstOrderAttack } from "./first-order-attack.js";
export type { FirstOrderAttackResult, FirstOrderAttackSpec } from "./first-order-attack.js";
export { secondOrderAttack, secondOrderAttacks, ATTACK_ENERGY_THRESHOLDS } from "./second-order-attack.js";
export type { SecondOrderAttackMethod, SecondOrderAttackRadiiSpec, SecondOrderAttackResult, SecondOrderAttackSpec } from "./second-order-attack.js";
export { randomAttack } from "./random-attack.js";
export type { RandomAttackSpec } from "./random-attack.js";
export { networkClassifier } from "./classifier.js";
export type { Classifier } from "./classifier.js";
export { postHocAccuracy } from "./post-hoc-accuracy.js";
export type { PostHocAccuracyOptions, PostHocAccuracyResult } from "./post-hoc-accuracy.js";
export { paperGrid, gridUnion } from "./paper-grid.js";
export { BETA_GRIDS, BETAS_REPORTED_OUTSIDE_GRIDS, VARIANCE_GRIDS, PERTURBATION_MSE_RADII, ATTACK_RADII } from "./paper-settings.js";
export type { DatasetGrids, PaperDataset } from "./paper-settings.js";
export { threeSigmaRule } from "./three-sigma-rule.js";
export { selectHyperparameter } from "./select-hyperparameter.js";
export type { HyperparameterSearch, HyperparameterSelection, ValidationPoint } from "./select-hyperparameter.js";
export type { LossDerivatives } from "./loss-derivatives.js";
export { casoLambda2 } from "./regularization-weights.js";
export { caso } from "./caso.js";
export type { CasoOptions, CasoResult } from "./caso.js";
export { cafo } from "./cafo.js";
export type { CafoOptions, CafoResult } from "./cafo.js";
export { smoothCaso, smoothCafo } from "./smooth-caso.js";
export type { SmoothCafoOptions, SmoothCafoResult, SmoothCasoOptions, SmoothCasoResult } from "./smooth-caso.js";
export { monteCarloNoise } from "./monte-carlo-noise.js";
export { firstCrossingLog, bisectLog } from "./threshold-crossing.js";
export type { CrossingDirection } from "./threshold-crossing.js";
export { pairedDifference } from "./paired-difference.js";
export type { PairedDifference } from "./paired-difference.js";
export {
  vectorExplanationDistance,
  matrixExplanationDistance,
  topKIntersection,
  topKIndices,
  topKPairIndices,
} from "./explanation-distance.js";
export type { VectorExplanationDistance, MatrixExplanationDistance } from "./explanation-distance.js";
export { explanationSensitivity } from "./explanation-sensitivity.js";
export type {
  Explainer,
  Neighbourhood,
  ExplanationSensitivityOptions,
  ExplanationSensitivity,
  VectorSensitivity,
  MatrixSensitivity,
} from "./explanation-sensitivity.js";
export { localLipschitzEstimate } from "./local-lipschitz.js";
export type { LocalLipschitzOptions, LocalLipschitzEstimate } from "./local-lipschitz.js";
export {
  smoothGradLipschitzBound,
  smoothGradDistanceBound,
  smoothGradRobustnessBound,
  smoothHessLipschitzBound,
  saliencyTaylorBound,
  SMOOTHGRAD_GRADIENT_CONSTANT,
  AGARWAL_SMOOTHGRAD_CONSTANT,
  SMOOTHGRAD_VALUE_CONSTANT,
  WANG_SMOOTHGRAD_CONSTANT,
  SMOOTHHESS_GRADIENT_CONSTANT,
  SMOOTHHESS_VALUE_CONSTANT,
} from "./lipschitz-bounds.js";
export type { BoundConstantOption, SmoothHessBoundInput } from "./lipschitz-bounds.js";
export { denseNetworkGradientBound } from "./network-gradient-bound.js";
export type { NetworkGradientBoundOptions } from "./network-gradient-bound.js";
export { eluClassifier, eluClassifierProbabilities, eluProbabilityOracle, trainEluClassifier } from "./elu-classifier.js";
export type { EluClassifier, EluTrainingOptions } from "./elu-classifier.js";

export { useBackend, defaultBackendName, isNode } from "./backend.js";
export type { BackendName, UseBackendOptions } from "./backend.js";
export { UnknownBackendError, BackendUnavailableError, NoBackendError } from "./backend-errors.js";
export { RELU, checkActivation, activationOps, applyActivation, activationDerivative } from "./activation-ops.js";
export type { ActivationSpec, TfjsActivationOps } from "./activation-ops.js";
export type { Network, Architecture, ForwardOptions, ForwardResult } from "./network.js";
export { mlp } from "./mlp.js";
export type { MlpConfig, MlpOptions } from "./mlp.js";
export { resnet18 } from "./resnet18.js";
export type { ResNet18Config, ResNet18Options } from "./resnet18.js";
export { cnn1d } from "./cnn1d.js";
export type { Cnn1dConfig, Cnn1dOptions } from "./cnn1d.js";
export { BN_EPSILON, BN_MOMENTUM } from "./batch-norm.js";
export {
  MNIST_MLP_SIZES,
  TOY_MLP_SIZES,
  paperMnistMlp,
  paperToyMlp,
  paperResNet18,
  paperSpirometryCnn,
  networkFromConfig,
} from "./paper-models.js";
export { predictedClass, resolveTfjsTarget, targetValues } from "./target.js";
export type { TfjsTarget, ResolvedTfjsTarget } from "./target.js";
export { tfjsOracle, TfjsOracle, OracleDisposedError } from "./tfjs-oracle.js";
export type { TfjsOracleOptions, GradientEngine } from "./tfjs-oracle.js";
export { WorkerFailedError } from "./kernel-worker-pool.js";
export { saveNetwork, loadNetwork, networkWeightsSha256 } from "./network-io.js";
export { ModelFileError } from "./model-file-error.js";
export { NodeOnlyError } from "./node-only-error.js";
export { trainNetwork } from "./train.js";
export type { TrainingData, TrainOptions, TrainResult, EpochReport } from "./train.js";
export { learningRateAt, checkSchedule } from "./learning-rate-schedule.js";
export type { LearningRateSchedule } from "./learning-rate-schedule.js";
export type { OptimizerSpec } from "./optimizer.js";
export { fourQuadrantRecipe, mnistRecipe, cifar10Recipe } from "./paper-training.js";
export type { TrainingRecipe } from "./paper-training.js";
export { tfjsOuterProductKernel } from "./outer-product-kernel.js";
export { tfjsValueOracle } from "./tfjs-value-oracle.js";
export { referenceFromTfjsMlp } from "./reference-network.js";
export { meanSquaredError } from "./mean-squared-error.js";
export { useWasmConvTraining, WASM_CONV_TRAINING_BACKEND, UnsupportedConvolutionError } from "./wasm-conv-training.js";
export { predictedClasses, classifierAccuracy, classesAndProbability } from "./classify.js";
export { ModelOracle } from "./model-oracle.js";
export type { ModelEngine, ModelOracleOptions } from "./model-oracle.js";
export { fromLayersModel, denseReluStack } from "./from-layers-model.js";
export type { LayersModelLike, LayerLike } from "./from-layers-model.js";
export { fromGraphModel, graphDenseReluStack } from "./from-graph-model.js";
export type { GraphModelLike } from "./from-graph-model.js";
export { fromFunction } from "./from-function.js";
export type { FunctionOracleOptions } from "./from-function.js";
export { mlpFromDenseKernels } from "./dense-stack.js";
export type { DenseKernel } from "./dense-stack.js";
export { UnsupportedModelError } from "./unsupported-model-error.js";

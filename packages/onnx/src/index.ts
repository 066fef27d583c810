// Public API of @smoothhess/onnx: re-exported by name.
export { loadOnnxModel, runForward } from "./onnx-model.js";
export type { OnnxModel, LoadOnnxModelOptions } from "./onnx-model.js";
export type { OnnxModelSource } from "./model-source.js";
export { onnxOracle } from "./onnx-oracle.js";
export type { OnnxOracle, OnnxOracleOptions } from "./onnx-oracle.js";
export { resolveOnnxTarget } from "./target.js";
export type { OnnxTarget, ResolvedOnnxTarget } from "./target.js";
export { OnnxModelError } from "./onnx-model-error.js";
export { UnsupportedOpError } from "./unsupported-op-error.js";
export { liveSessionCount, defaultRuntime } from "./runtime.js";
export type { OnnxRuntime, SessionSettings } from "./runtime.js";
export { supportedOperators } from "./autodiff/rule-table.js";
// The graph IR and autodiff, for code that builds on the engine (exporters, kernels, custom targets).
export { GraphBuilder } from "./ir/graph-builder.js";
export { DataType, attr } from "./ir/graph.js";
export type { IrGraph, IrNode, IrTensor, IrAttribute, IrValueInfo } from "./ir/graph.js";
export { decodeModel, encodeModel } from "./ir/proto-codec.js";
export { reverseMode } from "./autodiff/reverse-mode.js";
export type { ReverseModeRequest } from "./autodiff/reverse-mode.js";
export type { VjpRule, VjpContext } from "./autodiff/vjp-rule.js";
export { buildGradientGraph } from "./gradient-graph.js";
export type { GradientGraph } from "./gradient-graph.js";
export { reverseSweep } from "./autodiff/reverse-mode.js";
export { stopGradient } from "./autodiff/stop-gradient.js";
// Second order: Hessian-vector products, exact Hessians and the smooth surrogates of a ReLU model.
export { onnxSurrogates } from "./second-order/onnx-surrogates.js";
export type {
  OnnxSurrogateNetwork,
  OnnxSecondOrderModel,
  OnnxSurrogatesOptions,
  OnnxSurrogateActivation,
  OnnxModelActivation,
  OnnxHessianBatch,
  OnnxHessianVectorProducts,
  OnnxLogitJacobian,
} from "./second-order/onnx-surrogates.js";
export { resolveSecondOrderTarget } from "./second-order/second-order-target.js";
export type { SecondOrderTarget, ResolvedSecondOrderTarget } from "./second-order/second-order-target.js";
export { onnxOuterProductKernel, KernelDisposedError } from "./outer-product-kernel.js";
export type { OnnxOuterProductKernel, OnnxOuterProductKernelOptions } from "./outer-product-kernel.js";
export { networkToOnnx } from "./network-export.js";
export type { NetworkLike, OnnxExportOptions } from "./network-export.js";
export { denseNetworkToOnnx } from "./dense-network-export.js";
export type { ExportActivation } from "./export-activation.js";
export type { WeightTensor } from "./export-tensors.js";
export { layersModelToOnnx, SUPPORTED_LAYERS, SUPPORTED_ACTIVATIONS } from "./layers-model-export.js";
export type { LayersModelLike, LayersModelExportOptions } from "./layers-model-export.js";
export { UnsupportedLayerError } from "./unsupported-layer-error.js";
export { onnxQuadraticFormKernel } from "./quadratic-form-kernel.js";
export type { OnnxQuadraticFormKernel, OnnxBoundQuadraticForms, OnnxQuadraticFormKernelOptions } from "./quadratic-form-kernel.js";

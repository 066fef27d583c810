// Public API of @smoothhess/onnx: re-exported by name as the package grows.
export { onnxOuterProductKernel, KernelDisposedError } from "./outer-product-kernel.js";
export type { OnnxOuterProductKernel, OnnxOuterProductKernelOptions } from "./outer-product-kernel.js";
export { OnnxRuntimeUnavailableError } from "./ort-module.js";
export type { OrtModule } from "./ort-module.js";
export { networkToOnnx } from "./network-export.js";
export type { NetworkLike, OnnxExportOptions } from "./network-export.js";
export { denseNetworkToOnnx } from "./dense-network-export.js";
export type { ExportActivation } from "./export-activation.js";
export type { WeightTensor } from "./export-tensors.js";
export { layersModelToOnnx, SUPPORTED_LAYERS, SUPPORTED_ACTIVATIONS } from "./layers-model-export.js";
export type { LayersModelLike, LayersModelExportOptions } from "./layers-model-export.js";
export { UnsupportedLayerError } from "./unsupported-layer-error.js";

// Type-level test (checked by `tsc --noEmit`): the engine's surrogates satisfy the capability of
// @smoothhess/surrogates structurally, without the package depending on it.
import type { SecondOrderModel, SurrogateNetwork } from "@smoothhess/surrogates";
import type { OnnxSecondOrderModel, OnnxSurrogateNetwork } from "./onnx-surrogates.js";

export function asSurrogateNetwork(network: OnnxSurrogateNetwork): SurrogateNetwork {
  return network;
}

export function asSecondOrderModel(model: OnnxSecondOrderModel): SecondOrderModel {
  return model;
}

import type { DenseNetwork } from "@smoothhess/oracle";
import { InvalidArgumentError } from "@smoothhess/errors";
import { checkExportActivation } from "./export-activation.js";
import { emitActivation } from "./export-activation.js";
import { exportContext, type OnnxExportOptions } from "./network-export.js";

/**
 * Export a float64 `DenseNetwork` of `@smoothhess/oracle` (e.g. `randomDenseNetwork`, or one built from a
 * checkpoint's weights) to an ONNX model (opset 17). Weights are rounded to float32, as ONNX Runtime's CPU
 * kernels compute in float32. Each layer is `Gemm(x, W, b, transB = 1)` — `W` keeps its row-major
 * `outputs × inputs` layout, as PyTorch exports `nn.Linear` — and the hidden activation is the network's own
 * (`network.activation`) unless `options.activation` overrides it. GELU is written with the exact normal CDF
 * (`Erf`), whatever CDF approximation the network's `Activation` was built with.
 *
 * The graph has one input `[batch, inputDim]` and one output `[batch, outputDim]` (the logits); hidden layer l's
 * pre-activation `f⁽ˡ⁾` is the tensor `hidden{l}`, l = 1 … layers − 1.
 *
 * @throws {@link InvalidArgumentError} for something that is not a DenseNetwork or a bad `options.activation`.
 * @example
 * ```ts
 * const net = randomDenseNetwork([784, 64, 10], { seed: 1 });
 * const bytes = denseNetworkToOnnx(net);   // e.g. await writeFile("net.onnx", bytes)
 * ```
 */
export function denseNetworkToOnnx(network: DenseNetwork, options: OnnxExportOptions = {}): Uint8Array {
  if (network === null || typeof network !== "object" || !Array.isArray(network.layers) || network.layers.length === 0) {
    throw new InvalidArgumentError("network", "a DenseNetwork of @smoothhess/oracle", network);
  }
  const activation = options.activation ?? checkExportActivation("network.activation", network.activation);
  const context = exportContext("smoothhess-dense-network", { ...options, activation });
  const { graph } = context;
  const layers = network.layers;
  let h = context.declareInput(["batch", network.inputDim]);
  layers.forEach((layer, l) => {
    const w = graph.constant(`dense${l}/weights`, [layer.outputs, layer.inputs], layer.weights);
    const b = graph.constant(`dense${l}/bias`, [layer.outputs], layer.bias);
    const last = l === layers.length - 1;
    const z = graph.op("Gemm", [h, w, b], last ? "logits" : `hidden${l + 1}`, { transB: { int: 1 } });
    h = last ? z : emitActivation(graph, z, context.activation, `activation${l + 1}`);
  });
  context.outputDims.push("batch", network.outputDim);
  const spec = context.activation.beta === undefined ? context.activation.name : `${context.activation.name}(β=${context.activation.beta})`;
  return context.finish(h, `@smoothhess/oracle DenseNetwork ${[network.inputDim, ...layers.map((l) => l.outputs)].join("-")}, ${spec}`);
}

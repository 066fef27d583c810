import { DimensionMismatchError, described } from "@smoothhess/errors";

/**
 * A layer's weight matrix arrived transposed: its declared shape is `[inputs, outputs]` (tfjs Dense kernels, Keras)
 * where {@link denseNetwork} needs `[outputs, inputs]` (PyTorch `nn.Linear.weight`, ONNX `Gemm` with `transB`).
 * Without this check a non-square layer copied the wrong way round has the right number of entries and gives a wrong
 * value silently.
 */
export class WeightOrientationError extends DimensionMismatchError {
  /** Index of the layer at fault. */
  readonly layer: number;

  constructor(layer: number, shape: readonly number[], outputs: number, inputs: number) {
    super(
      `layers[${layer}].weights`,
      `shape [outputs, inputs] = [${outputs}, ${inputs}]; this one is [inputs, outputs] — transpose it (tfjs Dense kernels are [inputs, outputs])`,
      described(`shape [${shape.join(", ")}]`),
    );
    this.layer = layer;
  }
}

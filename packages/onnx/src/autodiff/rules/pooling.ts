import { attr, intAttribute, intsAttribute } from "../../ir/graph.js";
import type { VjpRule } from "../vjp-rule.js";
import { adjointAttributes, windowGeometry } from "./convolution.js";
import { filledLike, outputGradient, reshapeLike } from "./helpers.js";

/**
 * MaxPool: the gradient goes to the element each window took its maximum from. The node is re-run with its
 * `Indices` output (flat positions in the input, ONNX semantics) and `dY` is scatter-added there, so overlapping
 * windows that share a maximum add their gradients.
 */
export const maxPool: VjpRule = (c) => {
  if (intAttribute(c.node, "storage_order", 0) !== 0) c.unsupported("storage_order = 1");
  const b = c.builder;
  const x = c.node.inputs[0];
  const [, indices] = b.ops("MaxPool", [x], c.node.attributes, 2);
  const zeros = filledLike(b, b.op("Reshape", [x, b.int64s([-1])]), 0);
  const flatIndices = b.op("Reshape", [indices, b.int64s([-1])]);
  const flatDy = b.op("Reshape", [outputGradient(c), b.int64s([-1])]);
  const scattered = b.op("ScatterElements", [zeros, flatIndices, flatDy], { axis: attr.int(0), reduction: attr.string("add") });
  return [reshapeLike(b, scattered, x)];
};

/**
 * AveragePool: the adjoint of a depthwise window sum, `ConvTranspose(dY / count, ones)` with one group per channel;
 * `count` is the window size, or (count_include_pad = 0 with padding) the number of real elements per window.
 */
export const averagePool: VjpRule = (c) => {
  if (intAttribute(c.node, "ceil_mode", 0)) c.unsupported("ceil_mode = 1");
  const b = c.builder;
  const x = c.node.inputs[0];
  const shape = c.shape(x);
  const channels = shape[1];
  if (channels < 0) c.unsupported("a channel axis that follows the batch size");
  const kernel = intsAttribute(c.node, "kernel_shape")!;
  const g = windowGeometry(c, kernel);
  let size = 1;
  for (const k of kernel) size *= k;
  let dy = outputGradient(c);
  const padded = g.pads.some((p) => p > 0);
  if (padded && !intAttribute(c.node, "count_include_pad", 0)) {
    // Per-window count of real elements: AveragePool of ones that counts padding gives count/size.
    const ones = filledLike(b, x, 1);
    const fraction = b.op("AveragePool", [ones], { ...c.node.attributes, count_include_pad: attr.int(1) });
    dy = b.op("Div", [dy, b.op("Mul", [fraction, b.scalar(size)])]);
  } else {
    dy = b.op("Mul", [dy, b.scalar(1 / size)]);
  }
  const weights = b.floats(new Array<number>(channels * size).fill(1), [channels, 1, ...kernel]);
  return [b.op("ConvTranspose", [dy, weights], adjointAttributes(c, g, channels))];
};

/** GlobalAveragePool: `dY / (H·W)` broadcast back over the spatial axes. */
export const globalAveragePool: VjpRule = (c) => {
  const spatial = c.shape(c.node.inputs[0]).slice(2);
  if (spatial.some((d) => d < 0)) c.unsupported("spatial axes that follow the batch size");
  let size = 1;
  for (const d of spatial) size *= d;
  const fill = c.builder.floats(new Array<number>(size).fill(1 / size), [1, 1, ...spatial]);
  return [c.builder.op("Mul", [outputGradient(c), fill])];
};

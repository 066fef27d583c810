import { attr, intAttribute, intsAttribute, stringAttribute, type IrAttribute } from "../../ir/graph.js";
import type { VjpContext, VjpRule } from "../vjp-rule.js";
import { outputGradient } from "./helpers.js";

/** The explicit geometry of a Conv/pool node: kernel, strides, dilations and begin/end pads per spatial axis. */
export interface WindowGeometry {
  readonly kernel: number[];
  readonly strides: number[];
  readonly dilations: number[];
  readonly pads: number[];
}

/**
 * Resolve a windowed node's geometry, turning `auto_pad` into explicit pads from the (static) spatial shapes.
 * @param kernel - the kernel's spatial extent.
 */
export function windowGeometry(c: VjpContext, kernel: readonly number[]): WindowGeometry {
  const spatial = kernel.length;
  const inShape = c.shape(c.node.inputs[0]).slice(2);
  const outShape = c.shape(c.node.outputs[0]).slice(2);
  if (inShape.some((d) => d < 0)) c.unsupported("spatial axes that follow the batch size");
  const strides = [...(intsAttribute(c.node, "strides") ?? new Array<number>(spatial).fill(1))];
  const dilations = [...(intsAttribute(c.node, "dilations") ?? new Array<number>(spatial).fill(1))];
  const autoPad = stringAttribute(c.node, "auto_pad", "NOTSET");
  let pads: number[];
  if (autoPad === "NOTSET") pads = [...(intsAttribute(c.node, "pads") ?? new Array<number>(2 * spatial).fill(0))];
  else if (autoPad === "VALID") pads = new Array<number>(2 * spatial).fill(0);
  else {
    pads = new Array<number>(2 * spatial).fill(0);
    for (let i = 0; i < spatial; i++) {
      const total = Math.max(0, (outShape[i] - 1) * strides[i] + (kernel[i] - 1) * dilations[i] + 1 - inShape[i]);
      const small = Math.floor(total / 2);
      pads[i] = autoPad === "SAME_UPPER" ? small : total - small;
      pads[i + spatial] = total - pads[i];
    }
  }
  return { kernel: [...kernel], strides, dilations, pads };
}

/**
 * The ConvTranspose that is the adjoint of a Conv/pool window with geometry `g`: same strides, pads and
 * dilations, and the output padding that restores the input's spatial extent (rows and columns the forward
 * window never read get zero gradient).
 */
export function adjointAttributes(c: VjpContext, g: WindowGeometry, group: number): Record<string, IrAttribute> {
  const inShape = c.shape(c.node.inputs[0]).slice(2);
  const outShape = c.shape(c.node.outputs[0]).slice(2);
  const spatial = g.kernel.length;
  const outputPadding = inShape.map(
    (size, i) => size - ((outShape[i] - 1) * g.strides[i] + (g.kernel[i] - 1) * g.dilations[i] + 1 - g.pads[i] - g.pads[i + spatial]),
  );
  if (outputPadding.some((p, i) => p < 0 || p >= Math.max(g.strides[i], g.dilations[i]))) {
    c.unsupported(`a window geometry whose adjoint has output padding [${outputPadding.join(", ")}]`);
  }
  return {
    strides: attr.ints(g.strides),
    dilations: attr.ints(g.dilations),
    pads: attr.ints(g.pads),
    group: attr.int(group),
    kernel_shape: attr.ints(g.kernel),
    output_padding: attr.ints(outputPadding),
  };
}

/**
 * Conv (1-D, 2-D, any strides, pads, groups, dilations, auto_pad): `dX = ConvTranspose(dY, W)` with the same
 * geometry — the transposed convolution is the adjoint. Weights and bias must not depend on the input.
 */
export const conv: VjpRule = (c) => {
  if (c.needsGradient[1] || c.needsGradient[2]) c.unsupported("weights or bias that depend on the input");
  const w = c.node.inputs[1];
  const kernel = intsAttribute(c.node, "kernel_shape") ?? c.shape(w).slice(2);
  const g = windowGeometry(c, kernel);
  const group = intAttribute(c.node, "group", 1);
  return [c.builder.op("ConvTranspose", [outputGradient(c), w], adjointAttributes(c, g, group)), null, null];
};

/**
 * ConvTranspose (emitted by Conv's rule): its adjoint is the Conv with the same geometry. Only explicit pads,
 * no `output_shape`.
 */
export const convTranspose: VjpRule = (c) => {
  if (c.needsGradient[1] || c.needsGradient[2]) c.unsupported("weights or bias that depend on the input");
  if (c.node.attributes.output_shape || stringAttribute(c.node, "auto_pad", "NOTSET") !== "NOTSET") c.unsupported("output_shape / auto_pad");
  const w = c.node.inputs[1];
  const spatial = c.shape(w).length - 2;
  const attributes: Record<string, IrAttribute> = {
    strides: attr.ints(intsAttribute(c.node, "strides") ?? new Array<number>(spatial).fill(1)),
    dilations: attr.ints(intsAttribute(c.node, "dilations") ?? new Array<number>(spatial).fill(1)),
    pads: attr.ints(intsAttribute(c.node, "pads") ?? new Array<number>(2 * spatial).fill(0)),
    group: attr.int(intAttribute(c.node, "group", 1)),
  };
  return [c.builder.op("Conv", [outputGradient(c), w], attributes), null, null];
};

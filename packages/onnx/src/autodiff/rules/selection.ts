import { attr, intAttribute } from "../../ir/graph.js";
import type { VjpRule } from "../vjp-rule.js";
import { filledLike, outputGradient, outputShape, unbroadcast } from "./helpers.js";

/** Where (emitted by the ReLU rule): the gradient goes to the branch each element was taken from. */
export const where: VjpRule = (c) => {
  const b = c.builder;
  const [condition, whenTrue, whenFalse] = c.node.inputs;
  const dy = outputGradient(c);
  const zero = b.scalar(0);
  const shape = outputShape(c);
  return [
    null,
    c.needsGradient[1] ? unbroadcast(c, b.op("Where", [condition, dy, zero]), shape, whenTrue) : null,
    c.needsGradient[2] ? unbroadcast(c, b.op("Where", [condition, zero, dy]), shape, whenFalse) : null,
  ];
};

/** ScatterElements with `reduction = "add"` (emitted by MaxPool's rule): `dData = dY`, `dUpdates = gather(dY)`. */
export const scatterElements: VjpRule = (c) => {
  const reduction = c.node.attributes.reduction;
  if (!reduction || reduction.type !== "string" || reduction.value !== "add") c.unsupported('reduction other than "add"');
  const dy = outputGradient(c);
  const axis = intAttribute(c.node, "axis", 0);
  return [
    c.needsGradient[0] ? dy : null,
    null,
    c.needsGradient[2] ? c.builder.op("GatherElements", [dy, c.node.inputs[1]], { axis: attr.int(axis) }) : null,
  ];
};

/** GatherElements: the gradient scatter-added back to the gathered positions. */
export const gatherElements: VjpRule = (c) => {
  const b = c.builder;
  const [data, indices] = c.node.inputs;
  const axis = intAttribute(c.node, "axis", 0);
  const zeros = filledLike(b, data, 0);
  return [b.op("ScatterElements", [zeros, indices, outputGradient(c)], { axis: attr.int(axis), reduction: attr.string("add") }), null];
};

import { intAttribute } from "../../ir/graph.js";
import type { VjpRule } from "../vjp-rule.js";
import { normalizeAxis, outputGradient, reduce } from "./helpers.js";

function axisOf(c: Parameters<VjpRule>[0]): number {
  const rank = c.shape(c.node.inputs[0]).length;
  if (c.builder.base.opset < 13 && rank > 2) c.unsupported("Softmax before opset 13 on a tensor of rank > 2 (coerced to 2-D)");
  return normalizeAxis(intAttribute(c.node, "axis", c.builder.base.opset < 13 ? 1 : -1), rank);
}

/** Softmax: `dX = Y ⊙ (dY − Σ_axis dY ⊙ Y)`. */
export const softmax: VjpRule = (c) => {
  const b = c.builder;
  const y = b.op("Softmax", [c.node.inputs[0]], c.node.attributes);
  const dy = outputGradient(c);
  const dot = reduce(b, "ReduceSum", b.op("Mul", [dy, y]), [axisOf(c)], true);
  return [b.op("Mul", [y, b.op("Sub", [dy, dot])])];
};

/** LogSoftmax: `dX = dY − softmax(X) ⊙ Σ_axis dY`. */
export const logSoftmax: VjpRule = (c) => {
  const b = c.builder;
  const p = b.op("Softmax", [c.node.inputs[0]], c.node.attributes);
  const total = reduce(b, "ReduceSum", outputGradient(c), [axisOf(c)], true);
  return [b.op("Sub", [outputGradient(c), b.op("Mul", [p, total])])];
};

import { floatAttribute, intAttribute } from "../../ir/graph.js";
import type { VjpRule } from "../vjp-rule.js";
import { outputGradient } from "./helpers.js";

/**
 * BatchNormalization in inference mode: `Y = (X − mean)·scale/√(var + ε) + B` per channel, so
 * `dX = dY·scale/√(var + ε)` (the factor, a constant of shape `[C, 1, …]`, is folded by ONNX Runtime).
 */
export const batchNormalization: VjpRule = (c) => {
  if (intAttribute(c.node, "training_mode", 0)) c.unsupported("training_mode = 1");
  if (c.needsGradient.slice(1).some(Boolean)) c.unsupported("scale, bias, mean or variance that depend on the input");
  const b = c.builder;
  const [x, scale, , , variance] = c.node.inputs;
  const rank = c.shape(x).length;
  const epsilon = floatAttribute(c.node, "epsilon", 1e-5);
  const factor = b.op("Div", [scale, b.op("Sqrt", [b.op("Add", [variance, b.scalar(epsilon)])])]);
  const trailing = Array.from({ length: rank - 2 }, (_, i) => i + 1);
  const shaped = trailing.length > 0 ? b.op("Unsqueeze", [factor, b.int64s(trailing)]) : factor;
  return [b.op("Mul", [outputGradient(c), shaped]), null, null, null, null];
};

import { attr, floatAttribute, stringAttribute } from "../../ir/graph.js";
import type { VjpRule } from "../vjp-rule.js";
import { outputGradient } from "./helpers.js";

/**
 * Relu: `dX = Where(Y > 0, dY, 0)` (derivative 0 at 0, as PyTorch and tfjs take it). A select, not a multiply by
 * a cast mask, so it costs one pass and differentiates again (Where passes the gradient through the same mask).
 * The mask reads the output `Y` (`Y > 0` exactly where `X > 0`), so the pre-activation keeps a single consumer and
 * ONNX Runtime can still fuse Gemm/Conv with the Relu.
 */
export const relu: VjpRule = (c) => {
  const b = c.builder;
  const y = c.node.outputs[0];
  return [b.op("Where", [b.op("Greater", [y, b.scalar(0)]), outputGradient(c), b.scalar(0)])];
};

/** LeakyRelu: `dX = Where(X > 0, dY, α·dY)`. */
export const leakyRelu: VjpRule = (c) => {
  const b = c.builder;
  const x = c.node.inputs[0];
  const dy = outputGradient(c);
  const alpha = floatAttribute(c.node, "alpha", 0.01);
  return [b.op("Where", [b.op("Greater", [x, b.scalar(0)]), dy, b.op("Mul", [dy, b.scalar(alpha)])])];
};

/** Sigmoid: `dX = dY·σ(X)·(1 − σ(X))`, recomputed from X so that a second derivative flows through X. */
export const sigmoid: VjpRule = (c) => {
  const b = c.builder;
  const s = b.op("Sigmoid", [c.node.inputs[0]]);
  return [b.op("Mul", [outputGradient(c), b.op("Mul", [s, b.op("Sub", [b.scalar(1), s])])])];
};

/** Tanh: `dX = dY·(1 − tanh²X)`. */
export const tanh: VjpRule = (c) => {
  const b = c.builder;
  const t = b.op("Tanh", [c.node.inputs[0]]);
  return [b.op("Mul", [outputGradient(c), b.op("Sub", [b.scalar(1), b.op("Mul", [t, t])])])];
};

/** Softplus `log(1 + eˣ)`: `dX = dY·σ(X)`. */
export const softplus: VjpRule = (c) => {
  const b = c.builder;
  return [b.op("Mul", [outputGradient(c), b.op("Sigmoid", [c.node.inputs[0]])])];
};

/** Elu: `dX = dY` for X > 0, `dY·α·eˣ` otherwise. */
export const elu: VjpRule = (c) => {
  const b = c.builder;
  const x = c.node.inputs[0];
  const dy = outputGradient(c);
  const alpha = floatAttribute(c.node, "alpha", 1);
  const slope = b.op("Mul", [b.op("Exp", [x]), b.scalar(alpha)]);
  return [b.op("Where", [b.op("Greater", [x, b.scalar(0)]), dy, b.op("Mul", [dy, slope])])];
};

const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/**
 * Gelu (opset 20), exact form `x·Φ(x)`: `dX = dY·(Φ(x) + x·φ(x))`, written with Erf and Exp. The `"tanh"`
 * approximation is not supported.
 */
export const gelu: VjpRule = (c) => {
  if (stringAttribute(c.node, "approximate", "none") !== "none") c.unsupported('approximate="tanh" (only "none")');
  const b = c.builder;
  const x = c.node.inputs[0];
  const cdf = b.op("Mul", [b.op("Add", [b.op("Erf", [b.op("Mul", [x, b.scalar(SQRT1_2)])]), b.scalar(1)]), b.scalar(0.5)]);
  const pdf = b.op("Mul", [b.op("Exp", [b.op("Mul", [b.op("Mul", [x, x]), b.scalar(-0.5)])]), b.scalar(INV_SQRT_2PI)]);
  return [b.op("Mul", [outputGradient(c), b.op("Add", [cdf, b.op("Mul", [x, pdf])])])];
};

/** Erf (PyTorch's GELU decomposition): `dX = dY·(2/√π)·e^{−x²}`. */
export const erf: VjpRule = (c) => {
  const b = c.builder;
  const x = c.node.inputs[0];
  const slope = b.op("Mul", [b.op("Exp", [b.op("Neg", [b.op("Mul", [x, x])])]), b.scalar(2 / Math.sqrt(Math.PI))]);
  return [b.op("Mul", [outputGradient(c), slope])];
};

/** Exp: `dX = dY·eˣ`. */
export const exp: VjpRule = (c) => [c.builder.op("Mul", [outputGradient(c), c.builder.op("Exp", [c.node.inputs[0]])])];

/** Log: `dX = dY/X`. */
export const log: VjpRule = (c) => [c.builder.op("Div", [outputGradient(c), c.node.inputs[0]])];

/** Sqrt: `dX = dY/(2√X)`. */
export const sqrt: VjpRule = (c) => {
  const b = c.builder;
  return [b.op("Div", [outputGradient(c), b.op("Mul", [b.op("Sqrt", [c.node.inputs[0]]), b.scalar(2)])])];
};

/**
 * Clip (ReLU6, hardtanh) with constant bounds: `dX = dY` strictly inside `(min, max)`, 0 outside (and at the
 * bounds, as ReLU at 0). Bounds that depend on the input are not supported.
 */
export const clip: VjpRule = (c) => {
  if (c.needsGradient[1] || c.needsGradient[2]) c.unsupported("bounds that depend on the input");
  const b = c.builder;
  const [x, low, high] = c.node.inputs;
  let inside: string | undefined;
  if (low) inside = b.op("Greater", [x, low]);
  if (high) {
    const below = b.op("Less", [x, high]);
    inside = inside ? b.op("And", [inside, below]) : below;
  }
  return [inside ? b.op("Where", [inside, outputGradient(c), b.scalar(0)]) : outputGradient(c), null, null];
};

/** Pow with an exponent that does not depend on the input: `dX = dY·p·x^(p−1)`. */
export const pow: VjpRule = (c) => {
  if (c.needsGradient[1]) c.unsupported("an exponent that depends on the input");
  const b = c.builder;
  const [x, exponent] = c.node.inputs;
  const p = b.op("Cast", [exponent], { to: attr.int(b.floatType) });
  return [b.op("Mul", [outputGradient(c), b.op("Mul", [p, b.op("Pow", [x, b.op("Sub", [p, b.scalar(1)])])])]), null];
};

/** Reciprocal: `dX = −dY/x²`. */
export const reciprocal: VjpRule = (c) => {
  const b = c.builder;
  const x = c.node.inputs[0];
  return [b.op("Neg", [b.op("Div", [outputGradient(c), b.op("Mul", [x, x])])])];
};

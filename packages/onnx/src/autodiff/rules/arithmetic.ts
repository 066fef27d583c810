import type { VjpRule } from "../vjp-rule.js";
import { outputGradient, outputShape, unbroadcast } from "./helpers.js";

/** Add: the gradient passes to both operands, summed over broadcast axes. */
export const add: VjpRule = (c) => {
  const dy = outputGradient(c);
  const shape = outputShape(c);
  return c.node.inputs.map((input, k) => (c.needsGradient[k] ? unbroadcast(c, dy, shape, input) : null));
};

/** Sub: `dA = dY`, `dB = −dY`, summed over broadcast axes. */
export const sub: VjpRule = (c) => {
  const dy = outputGradient(c);
  const shape = outputShape(c);
  const [a, b] = c.node.inputs;
  return [
    c.needsGradient[0] ? unbroadcast(c, dy, shape, a) : null,
    c.needsGradient[1] ? unbroadcast(c, c.builder.op("Neg", [dy]), shape, b) : null,
  ];
};

/** Mul: `dA = dY·B`, `dB = dY·A`, summed over broadcast axes. */
export const mul: VjpRule = (c) => {
  const dy = outputGradient(c);
  const shape = outputShape(c);
  const [a, b] = c.node.inputs;
  return [
    c.needsGradient[0] ? unbroadcast(c, c.builder.op("Mul", [dy, b]), shape, a) : null,
    c.needsGradient[1] ? unbroadcast(c, c.builder.op("Mul", [dy, a]), shape, b) : null,
  ];
};

/** Div `Y = A/B`: `dA = dY/B`, `dB = −dY·A/B²`, summed over broadcast axes. */
export const div: VjpRule = (c) => {
  const g = c.builder;
  const dy = outputGradient(c);
  const shape = outputShape(c);
  const [a, b] = c.node.inputs;
  const da = g.op("Div", [dy, b]);
  return [
    c.needsGradient[0] ? unbroadcast(c, da, shape, a) : null,
    c.needsGradient[1] ? unbroadcast(c, g.op("Neg", [g.op("Div", [g.op("Mul", [da, a]), b])]), shape, b) : null,
  ];
};

/** Neg: `dA = −dY`. */
export const neg: VjpRule = (c) => [c.builder.op("Neg", [outputGradient(c)])];

/** Sum (variadic add, as the reverse sweep emits it): the gradient passes to every operand. */
export const sum: VjpRule = (c) => {
  const dy = outputGradient(c);
  const shape = outputShape(c);
  return c.node.inputs.map((input, k) => (c.needsGradient[k] ? unbroadcast(c, dy, shape, input) : null));
};

import type { GraphBuilder } from "../ir/graph-builder.js";
import { floatAttribute, type IrNode } from "../ir/graph.js";
import { BETA_INPUT, type SmoothActivationName } from "./surrogate-graph.js";

/** First and second derivative tensors of an elementwise activation at its input (`second` null: zero). */
export interface ElementwiseDerivatives {
  readonly first: string;
  readonly second: string | null;
}

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/**
 * Emit `φ′(u)` and `φ″(u)` of the smooth activation that replaces ReLU (surrogate semantics, β the graph input
 * {@link BETA_INPUT}), at the pre-activation tensor `u`. As `softplus`, `swish` and `gelu` of `@smoothhess/oracle`:
 * - SoftPlus_β: `φ′ = s`, `φ″ = β s(1 − s)` with `s = σ(βu)`;
 * - Swish_β: `φ′ = s + βu s(1 − s)`, `φ″ = β s(1 − s)(2 + βu(1 − 2s))`;
 * - GELU: `φ′ = Φ(u) + u ϕ(u)`, `φ″ = ϕ(u)(2 − u²)`.
 */
export function surrogateDerivatives(b: GraphBuilder, family: SmoothActivationName, u: string): ElementwiseDerivatives {
  if (family === "gelu") {
    const u2 = b.op("Mul", [u, u]);
    const pdf = b.op("Mul", [b.op("Exp", [b.op("Mul", [u2, b.scalar(-0.5)])]), b.scalar(INV_SQRT_2PI)]);
    const cdf = b.op("Mul", [b.op("Add", [b.op("Erf", [b.op("Mul", [u, b.scalar(Math.SQRT1_2)])]), b.scalar(1)]), b.scalar(0.5)]);
    return { first: b.op("Add", [cdf, b.op("Mul", [u, pdf])]), second: b.op("Mul", [pdf, b.op("Sub", [b.scalar(2), u2])]) };
  }
  const bu = b.op("Mul", [u, BETA_INPUT]);
  const s = b.op("Sigmoid", [bu]);
  const ss = b.op("Mul", [s, b.op("Sub", [b.scalar(1), s])]); // s(1 − s)
  if (family === "softplus") return { first: s, second: b.op("Mul", [ss, BETA_INPUT]) };
  const first = b.op("Add", [s, b.op("Mul", [bu, ss])]);
  const bend = b.op("Add", [b.scalar(2), b.op("Mul", [bu, b.op("Sub", [b.scalar(1), b.op("Mul", [s, b.scalar(2)])])])]);
  return { first, second: b.op("Mul", [b.op("Mul", [ss, BETA_INPUT]), bend]) };
}

/**
 * `φ′` and `φ″` of an elementwise activation node of the model itself (at its input), or `undefined` when the
 * operator is not one the structured Hessian knows. Relu, LeakyRelu, Clip: piecewise linear (`φ″ = 0` almost everywhere).
 */
export function nodeDerivatives(b: GraphBuilder, node: IrNode): ElementwiseDerivatives | undefined {
  const u = node.inputs[0];
  const positive = () => b.op("Greater", [u, b.scalar(0)]);
  switch (node.opType) {
    case "Relu":
      return { first: b.op("Where", [positive(), b.scalar(1), b.scalar(0)]), second: null };
    case "Clip": {
      let inside: string | undefined;
      if (node.inputs[1]) inside = b.op("Greater", [u, node.inputs[1]]);
      if (node.inputs[2]) {
        const below = b.op("Less", [u, node.inputs[2]]);
        inside = inside ? b.op("And", [inside, below]) : below;
      }
      return { first: inside ? b.op("Where", [inside, b.scalar(1), b.scalar(0)]) : b.scalar(1), second: null };
    }
    case "LeakyRelu":
      return { first: b.op("Where", [positive(), b.scalar(1), b.scalar(floatAttribute(node, "alpha", 0.01))]), second: null };
    case "Sigmoid":
    case "Softplus": {
      const s = b.op("Sigmoid", [u]);
      const ss = b.op("Mul", [s, b.op("Sub", [b.scalar(1), s])]);
      if (node.opType === "Softplus") return { first: s, second: ss };
      return { first: ss, second: b.op("Mul", [ss, b.op("Sub", [b.scalar(1), b.op("Mul", [s, b.scalar(2)])])]) };
    }
    case "Tanh": {
      const t = b.op("Tanh", [u]);
      const first = b.op("Sub", [b.scalar(1), b.op("Mul", [t, t])]);
      return { first, second: b.op("Mul", [b.op("Mul", [t, first]), b.scalar(-2)]) };
    }
    case "Exp": {
      const e = b.op("Exp", [u]);
      return { first: e, second: e };
    }
    default:
      return undefined;
  }
}

import { InvalidArgumentError } from "@smoothhess/errors";
import type { OnnxGraphWriter } from "./onnx-graph-writer.js";

/**
 * The hidden activation of an exported network: the `ActivationSpec` of `@smoothhess/tfjs` and the `Activation`
 * objects of `@smoothhess/oracle` both fit (`{ name, beta? }`).
 *
 * - `relu` → `Relu`
 * - `softplus` (β) → `Softplus(βz)/β` (`Softplus` alone when β = 1)
 * - `swish` (β) → `z · Sigmoid(βz)`
 * - `gelu` → `z · (1 + Erf(z/√2))/2` (exact GELU; opset 17 has no `Gelu` node)
 */
export interface ExportActivation {
  readonly name: "relu" | "softplus" | "swish" | "gelu";
  readonly beta?: number;
}

/** @internal Check an activation; returns `{ name, beta }`. */
export function checkExportActivation(argument: string, activation: unknown): ExportActivation {
  const a = activation as ExportActivation | null | undefined;
  if (a?.name === "relu" || a?.name === "gelu") return { name: a.name };
  if ((a?.name === "softplus" || a?.name === "swish") && typeof a.beta === "number" && Number.isFinite(a.beta) && a.beta > 0) {
    return { name: a.name, beta: a.beta };
  }
  throw new InvalidArgumentError(argument, '{ name: "relu" | "gelu" } or { name: "softplus" | "swish", beta > 0 }', activation);
}

/** @internal Append `φ(z)` to the graph; returns the output tensor's name. */
export function emitActivation(graph: OnnxGraphWriter, z: string, activation: ExportActivation, hint: string): string {
  switch (activation.name) {
    case "relu":
      return graph.op("Relu", [z], hint);
    case "softplus": {
      const beta = activation.beta as number;
      if (beta === 1) return graph.op("Softplus", [z], hint);
      const scaled = graph.op("Mul", [z, graph.constant(`${hint}/beta`, [], [beta])], `${hint}/scaled`);
      const soft = graph.op("Softplus", [scaled], `${hint}/softplus`);
      return graph.op("Div", [soft, graph.constant(`${hint}/beta`, [], [beta])], hint);
    }
    case "swish": {
      const beta = activation.beta as number;
      const scaled = beta === 1 ? z : graph.op("Mul", [z, graph.constant(`${hint}/beta`, [], [beta])], `${hint}/scaled`);
      return graph.op("Mul", [z, graph.op("Sigmoid", [scaled], `${hint}/sigmoid`)], hint);
    }
    case "gelu": {
      const scaled = graph.op("Mul", [z, graph.constant(`${hint}/inv_sqrt2`, [], [Math.SQRT1_2])], `${hint}/scaled`);
      const erf = graph.op("Erf", [scaled], `${hint}/erf`);
      const onePlus = graph.op("Add", [erf, graph.constant(`${hint}/one`, [], [1])], `${hint}/one_plus_erf`);
      const half = graph.op("Mul", [z, graph.constant(`${hint}/half`, [], [0.5])], `${hint}/half`);
      return graph.op("Mul", [half, onePlus], hint);
    }
  }
}

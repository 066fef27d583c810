import { reverseMode } from "../autodiff/reverse-mode.js";
import { stopGradient } from "../autodiff/stop-gradient.js";
import { GraphBuilder } from "../ir/graph-builder.js";
import type { IrGraph, IrValueInfo } from "../ir/graph.js";
import { probeShapes } from "../ir/shape-probe.js";
import type { OnnxRuntime } from "../runtime.js";

/** Graph-input names of a {@link HvpGraph}. */
export const HVP_INPUTS = {
  direction: "smoothhess:direction",
  seed: "smoothhess:seed",
  curvature: "smoothhess:curvature",
} as const;

/** A graph computing, per row r, `∇f(x_r)` and `H(x_r) v_r` for a head given from outside. */
export interface HvpGraph {
  readonly graph: IrGraph;
  /** Output: the gradient rows (input's shape). */
  readonly gradient: string;
  /** Output: the Hessian-vector products (input's shape). */
  readonly products: string;
  /** Output: the target tensor's rows, flattened (`[K, m]`). */
  readonly target: string;
  /** Units per row of the target tensor. */
  readonly targetSize: number;
  /** Whether the graph takes a head curvature input. */
  readonly withCurvature: boolean;
}

/**
 * Build the Hessian-vector-product graph of `f = head(t(x))`, where `t` is tensor `target` of `graph` and the head
 * (logit, SoftMax, cross-entropy, a unit) is given by its value-independent derivatives at the point: the seed
 * `s = ∂head/∂t` (input `[1 or K, m]`) and, for curved heads, its Hessian `C` (input `[m, m]`).
 *
 * Reverse over reverse: the first sweep differentiates `Σ ŝ ⊙ t` with the seed linearised around the point,
 * `ŝ = s + (t − stop(t))·C` (equal to `s` at the point, with derivative `C ∂t/∂x`), so that the second sweep, of
 * `Σ g ⊙ v` for the gradient `g`, yields the exact `H v = J_tᵀ C J_t v + Σ_nodes (curvature of the graph) v`.
 * Rows are independent, so one run serves K directions (the point repeated K times) or K points.
 *
 * @param inputs - the graph's inputs' shapes (`-1` on the batch axis); the first is the variable.
 */
export async function buildHvpGraph(
  runtime: OnnxRuntime,
  graph: IrGraph,
  inputShapes: ReadonlyMap<string, readonly number[]>,
  target: string,
  targetSize: number,
  withCurvature: boolean,
  opset: number,
): Promise<HvpGraph> {
  const x = graph.inputs[0];
  const floatType = x.dataType;
  const b = new GraphBuilder(graph, { opset, prefix: "hvp" });
  const extraInputs: IrValueInfo[] = [
    { name: HVP_INPUTS.direction, dataType: floatType, shape: ["batch", ...(inputShapes.get(x.name) ?? []).slice(1)] },
    { name: HVP_INPUTS.seed, dataType: floatType, shape: ["rows", targetSize] },
  ];
  if (withCurvature) extraInputs.push({ name: HVP_INPUTS.curvature, dataType: floatType, shape: [targetSize, targetSize] });
  const inputs = [...graph.inputs, ...extraInputs];
  const shapes = new Map(inputShapes);
  shapes.set(HVP_INPUTS.direction, inputShapes.get(x.name)!);
  shapes.set(HVP_INPUTS.seed, [1, targetSize]);
  if (withCurvature) shapes.set(HVP_INPUTS.curvature, [targetSize, targetSize]);

  const flat = b.op("Reshape", [target, b.int64s([0, -1])]);
  let seedFlat: string;
  if (withCurvature) {
    const offset = b.op("Sub", [flat, stopGradient(b, flat)]);
    seedFlat = b.op("Add", [HVP_INPUTS.seed, b.op("MatMul", [offset, HVP_INPUTS.curvature])]);
  } else {
    seedFlat = b.op("Expand", [HVP_INPUTS.seed, b.op("Shape", [flat])]);
  }
  const seed = b.op("Reshape", [seedFlat, b.op("Shape", [target])]);
  const probe = async (outputs: string[]) =>
    probeShapes(runtime, b.finish({ inputs, outputs: outputs.map((name) => ({ name, dataType: floatType })) }), shapes, "model");
  const firstShapes = await probe([seed]);
  const gradient = reverseMode(b, firstShapes, { wrt: x.name, target, seed });
  const secondShapes = await probe([gradient]);
  const products = reverseMode(b, secondShapes, { wrt: x.name, target: gradient, seed: HVP_INPUTS.direction });
  const outputs = [b.op("Identity", [gradient]), b.op("Identity", [products]), b.op("Identity", [flat])];
  return {
    graph: b.finish({ inputs, outputs: outputs.map((name) => ({ name, dataType: floatType })) }),
    gradient: outputs[0],
    products: outputs[1],
    target: outputs[2],
    targetSize,
    withCurvature,
  };
}

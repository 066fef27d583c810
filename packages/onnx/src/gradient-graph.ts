import { reverseMode } from "./autodiff/reverse-mode.js";
import { GraphBuilder } from "./ir/graph-builder.js";
import type { IrGraph } from "./ir/graph.js";
import { probeShapes, type ShapeTable } from "./ir/shape-probe.js";
import type { OnnxModel } from "./onnx-model.js";
import { emitTargetHead, type ResolvedOnnxTarget } from "./target.js";

/** A graph that computes a target's value and input gradient in one run. */
export interface GradientGraph {
  /** The graph: input = the model's input; outputs `value` (`[n]`) and `gradient` (the input's shape). */
  readonly graph: IrGraph;
  /** Name of the value output. */
  readonly value: string;
  /** Name of the gradient output. */
  readonly gradient: string;
}

/** The opset every emitted graph uses: at least 17 (ScatterElements with reduction), else the model's. */
export function emittedOpset(model: OnnxModel): number {
  return Math.max(17, model.graph.opset);
}

/** The builder that extends `model`'s graph (in the emitted opset). */
export function modelBuilder(model: OnnxModel, graph: IrGraph = model.graph): GraphBuilder {
  return new GraphBuilder(graph, { opset: emittedOpset(model) });
}

/**
 * Shapes of a graph that extends the model's: the model's own table when nothing new needs a shape, else a fresh
 * probe of the extended graph.
 */
export async function shapesOf(model: OnnxModel, graph: IrGraph): Promise<ShapeTable> {
  return probeShapes(model.runtime, graph, new Map([[model.inputName, model.inputShape]]), "model");
}

/**
 * Build the gradient graph of `target` (reverse mode, once per model and target): the forward graph, the
 * target's head and the backward nodes, with outputs `value` and `gradient`.
 * @throws {@link UnsupportedOpError} for a node on the path that cannot be differentiated.
 */
export async function buildGradientGraph(model: OnnxModel, target: ResolvedOnnxTarget): Promise<GradientGraph> {
  const b = modelBuilder(model);
  const head = emitTargetHead(b, model, target);
  // A user reduction adds nodes that are differentiated: learn their shapes first.
  const shapes = target.kind === "fn" ? await shapesOf(model, b.finish({ outputs: [{ name: head.value, dataType: b.floatType }] })) : model.shapes;
  const gradient = reverseMode(b, shapes, { wrt: model.inputName, target: head.target, seed: head.seed });
  const value = b.op("Identity", [head.value]);
  const gradientOut = b.op("Identity", [gradient]);
  return {
    graph: b.finish({
      outputs: [
        { name: value, dataType: b.floatType },
        { name: gradientOut, dataType: b.floatType },
      ],
    }),
    value,
    gradient: gradientOut,
  };
}

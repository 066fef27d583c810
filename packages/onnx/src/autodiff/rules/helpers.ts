import type { GraphBuilder } from "../../ir/graph-builder.js";
import { attr, type IrNode } from "../../ir/graph.js";
import type { VjpContext } from "../vjp-rule.js";

/**
 * A reduction over `axes` (`ReduceSum`, `ReduceMean`, `ReduceMax`) in the form the builder's opset wants: axes as
 * an input from opset 13 (ReduceSum) / 18 (the others), as an attribute before.
 */
export function reduce(b: GraphBuilder, op: "ReduceSum" | "ReduceMean" | "ReduceMax", x: string, axes: readonly number[], keepdims: boolean): string {
  const axesAsInput = op === "ReduceSum" ? b.opset >= 13 : b.opset >= 18;
  if (axesAsInput) return b.op(op, [x, b.int64s(axes)], { keepdims: attr.int(keepdims ? 1 : 0) });
  return b.op(op, [x], { axes: attr.ints(axes), keepdims: attr.int(keepdims ? 1 : 0) });
}

/** `Reshape(x, Shape(like))`: `x` with the (runtime) shape of `like`. */
export function reshapeLike(b: GraphBuilder, x: string, like: string): string {
  return b.op("Reshape", [x, b.op("Shape", [like])]);
}

/**
 * Sum a gradient of the broadcast shape `gradShape` down to the shape of `input` (the adjoint of ONNX
 * multidirectional broadcasting): axes that `input` lacks or has as 1 are summed.
 */
export function unbroadcast(context: VjpContext, gradient: string, gradShape: readonly number[], input: string): string {
  const b = context.builder;
  const inShape = context.shape(input);
  const lead = gradShape.length - inShape.length;
  const axes: number[] = [];
  for (let i = 0; i < gradShape.length; i++) {
    if (i < lead) axes.push(i);
    else if (inShape[i - lead] === 1 && gradShape[i] !== 1) axes.push(i);
  }
  if (axes.length === 0) return gradient;
  const summed = reduce(b, "ReduceSum", gradient, axes, true);
  if (lead === 0) return summed;
  return inShape.includes(-1) ? reshapeLike(b, summed, input) : b.op("Reshape", [summed, b.int64s(inShape)]);
}

/** The shape of a node's first output. */
export function outputShape(context: VjpContext): readonly number[] {
  return context.shape(context.node.outputs[0]);
}

/** The gradient of a single-output node (non-null by the sweep's contract). */
export function outputGradient(context: VjpContext): string {
  return context.outputGradients[0]!;
}

/** Inverse of a permutation. */
export function inversePermutation(perm: readonly number[]): number[] {
  const inverse = new Array<number>(perm.length);
  perm.forEach((p, i) => (inverse[p] = i));
  return inverse;
}

/** Permutation that swaps the last two of `rank` axes. */
export function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
  return perm;
}

/** Normalise a possibly negative axis. */
export function normalizeAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}

/** The constant int64 values of a tensor that is an initializer or a `Constant` node's output, or `undefined`. */
export function constantInts(b: GraphBuilder, name: string): number[] | undefined {
  const init = b.initializers.get(name);
  if (init) return Array.from(init.data as ArrayLike<number | bigint>, Number);
  const node: IrNode | undefined = b.nodes.find((n) => n.opType === "Constant" && n.outputs[0] === name);
  const value = node?.attributes.value;
  if (value?.type === "tensor") return Array.from(value.value.data as ArrayLike<number | bigint>, Number);
  const ints = node?.attributes.value_ints;
  if (ints?.type === "ints") return [...ints.value];
  return undefined;
}

/** A tensor of `like`'s runtime shape filled with `value` (ConstantOfShape of Shape: no gradient flows through it). */
export function filledLike(b: GraphBuilder, like: string, value: number): string {
  const data = b.floatType === 11 ? Float64Array.of(value) : Float32Array.of(value);
  return b.op("ConstantOfShape", [b.op("Shape", [like])], { value: attr.tensor({ dataType: b.floatType, dims: [1], data }) });
}

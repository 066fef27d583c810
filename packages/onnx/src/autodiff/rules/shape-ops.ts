import { attr, intAttribute, intsAttribute } from "../../ir/graph.js";
import type { VjpRule } from "../vjp-rule.js";
import { filledLike, inversePermutation, normalizeAxis, outputGradient, reshapeLike, unbroadcast, outputShape } from "./helpers.js";

/**
 * Flatten, Reshape, Squeeze, Unsqueeze: they only relabel elements, so the gradient is `dY` given back the
 * input's shape (read at run time, so a dynamic batch axis is kept).
 */
export const reshapeLikeInput: VjpRule = (c) => [
  c.needsGradient[0] ? reshapeLike(c.builder, outputGradient(c), c.node.inputs[0]) : null,
  ...c.node.inputs.slice(1).map(() => null),
];

/** Identity, Dropout (inference): `dX = dY`. */
export const identity: VjpRule = (c) => [outputGradient(c), ...c.node.inputs.slice(1).map(() => null)];

/** Transpose: the gradient transposed back by the inverse permutation. */
export const transpose: VjpRule = (c) => {
  const rank = c.shape(c.node.inputs[0]).length;
  const perm = intsAttribute(c.node, "perm") ?? Array.from({ length: rank }, (_, i) => rank - 1 - i);
  return [c.builder.op("Transpose", [outputGradient(c)], { perm: attr.ints(inversePermutation(perm)) })];
};

/** Concat: the gradient split back into the operands' extents along the axis (Split, whose rule is Concat). */
export const concat: VjpRule = (c) => {
  const b = c.builder;
  const rank = outputShape(c).length;
  const axis = normalizeAxis(intAttribute(c.node, "axis", 0), rank);
  const sizes = c.node.inputs.map((i) => c.shape(i)[axis]);
  if (sizes.some((s) => s < 0)) c.unsupported("concatenation along the batch axis");
  const parts = b.ops("Split", [outputGradient(c), b.int64s(sizes)], { axis: attr.int(axis) }, sizes.length);
  return parts.map((p, k) => (c.needsGradient[k] ? p : null));
};

/** Split (emitted by Concat's rule): the gradients concatenated back (zeros for outputs without a gradient). */
export const split: VjpRule = (c) => {
  const b = c.builder;
  const x = c.node.inputs[0];
  const rank = c.shape(x).length;
  const axis = normalizeAxis(intAttribute(c.node, "axis", 0), rank);
  const parts = c.node.outputs.map((o, k) => {
    const g = c.outputGradients[k];
    if (g) return g;
    return filledLike(b, o, 0);
  });
  return [b.op("Concat", parts, { axis: attr.int(axis) }), ...c.node.inputs.slice(1).map(() => null)];
};

/** Expand: the gradient summed over the broadcast axes. */
export const expand: VjpRule = (c) => [unbroadcast(c, outputGradient(c), outputShape(c), c.node.inputs[0]), null];

/** Cast between floating types: the gradient cast back. */
export const cast: VjpRule = (c) => {
  const type = c.builder.floatType;
  return [c.builder.op("Cast", [outputGradient(c)], { to: attr.int(type) })];
};

import { stringAttribute } from "../../ir/graph.js";
import type { VjpContext, VjpRule } from "../vjp-rule.js";
import { constantInts, normalizeAxis, outputGradient } from "./helpers.js";

/** The constant int64 values of input `k` of the node, or an unsupported-op error naming what is missing. */
function constantInput(c: VjpContext, k: number, what: string): number[] | undefined {
  const name = c.node.inputs[k];
  if (!name) return undefined;
  const values = constantInts(c.builder, name);
  if (!values) c.unsupported(`${what} given by a computed tensor`);
  return values;
}

/**
 * Pad (mode "constant", e.g. PyTorch's padded MaxPool): the gradient is `dY` cropped back to the input — a Slice
 * from the leading pads over the input's extent. Negative pads (cropping) and the reflect/edge modes are not
 * supported.
 */
export const pad: VjpRule = (c) => {
  if (stringAttribute(c.node, "mode", "constant") !== "constant") c.unsupported(`mode="${stringAttribute(c.node, "mode", "")}"`);
  const b = c.builder;
  const shape = c.shape(c.node.inputs[0]);
  const rank = shape.length;
  const pads = constantInput(c, 1, "pads") ?? [];
  const axes = (constantInput(c, 3, "axes") ?? Array.from({ length: rank }, (_, i) => i)).map((a) => normalizeAxis(a, rank));
  if (pads.some((p) => p < 0)) c.unsupported("negative pads");
  const starts: number[] = [];
  const ends: number[] = [];
  const sliced: number[] = [];
  axes.forEach((axis, i) => {
    const begin = pads[i];
    const end = pads[i + axes.length];
    if (begin === 0 && end === 0) return;
    if (shape[axis] < 0) c.unsupported("padding of the batch axis");
    starts.push(begin);
    ends.push(begin + shape[axis]);
    sliced.push(axis);
  });
  const dy = outputGradient(c);
  const dx = sliced.length === 0 ? dy : b.op("Slice", [dy, b.int64s(starts), b.int64s(ends), b.int64s(sliced)]);
  return [dx, null, null, null];
};

/**
 * Slice with constant starts, ends, axes and unit steps: the gradient is `dY` padded with zeros back to the
 * input's extent (the adjoint of Pad's rule, so padded pools differentiate twice).
 */
export const slice: VjpRule = (c) => {
  const b = c.builder;
  const shape = c.shape(c.node.inputs[0]);
  const rank = shape.length;
  const starts = constantInput(c, 1, "starts")!;
  const ends = constantInput(c, 2, "ends")!;
  const axes = (constantInput(c, 3, "axes") ?? starts.map((_, i) => i)).map((a) => normalizeAxis(a, rank));
  const steps = constantInput(c, 4, "steps") ?? starts.map(() => 1);
  if (steps.some((s) => s !== 1)) c.unsupported("steps other than 1");
  const before = new Array<number>(rank).fill(0);
  const after = new Array<number>(rank).fill(0);
  axes.forEach((axis, i) => {
    const size = shape[axis];
    if (size < 0) c.unsupported("slicing the batch axis");
    const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + size : v, 0), size);
    const begin = clamp(starts[i]);
    const end = Math.max(clamp(ends[i]), begin);
    before[axis] = begin;
    after[axis] = size - end;
  });
  return [b.op("Pad", [outputGradient(c), b.int64s([...before, ...after])]), null, null, null, null];
};

import { intAttribute, intsAttribute } from "../../ir/graph.js";
import type { VjpRule } from "../vjp-rule.js";
import { constantInts, normalizeAxis, outputGradient } from "./helpers.js";

function reducedAxes(c: Parameters<VjpRule>[0]): number[] {
  const rank = c.shape(c.node.inputs[0]).length;
  const fromInput = c.node.inputs[1] ? constantInts(c.builder, c.node.inputs[1]) : undefined;
  if (c.node.inputs[1] && !fromInput) c.unsupported("axes given by a computed tensor");
  const axes = fromInput ?? intsAttribute(c.node, "axes") ?? [];
  if (axes.length === 0) {
    if (intAttribute(c.node, "noop_with_empty_axes", 0)) return [];
    return Array.from({ length: rank }, (_, i) => i);
  }
  return axes.map((a) => normalizeAxis(a, rank));
}

function broadcastBack(c: Parameters<VjpRule>[0], scale: boolean): readonly (string | null)[] {
  const b = c.builder;
  const x = c.node.inputs[0];
  const shape = c.shape(x);
  const axes = reducedAxes(c);
  if (axes.some((a) => shape[a] < 0)) c.unsupported("a reduction over the batch axis (rows must stay independent)");
  let dy = outputGradient(c);
  if (!intAttribute(c.node, "keepdims", 1) && axes.length > 0) dy = b.op("Unsqueeze", [dy, b.int64s(axes)]);
  // Broadcast dY back over the reduced axes by multiplying with a constant of their extent (1/count for a mean).
  const dims = shape.map((d, i) => (axes.includes(i) ? d : 1));
  let count = 1;
  for (const a of axes) count *= shape[a];
  const fill = new Array<number>(count).fill(scale ? 1 / count : 1);
  return [b.op("Mul", [dy, b.floats(fill, dims)]), ...c.node.inputs.slice(1).map(() => null)];
}

/** ReduceMean: `dY / count` broadcast back over the reduced axes (which must not include the batch axis). */
export const reduceMean: VjpRule = (c) => broadcastBack(c, true);

/** ReduceSum: `dY` broadcast back over the reduced axes (which must not include the batch axis). */
export const reduceSum: VjpRule = (c) => broadcastBack(c, false);

import type { GraphBuilder } from "../ir/graph-builder.js";
import type { IrNode } from "../ir/graph.js";

const PREFIX = "stop-gradient:";

/**
 * `Identity(x)` that reverse mode treats as a constant (no gradient flows through it), like `tf.stopGradient`.
 * ONNX has no such operator; the node is an ordinary Identity marked by its name, so ONNX Runtime runs it as one.
 */
export function stopGradient(b: GraphBuilder, x: string): string {
  const out = b.fresh("stop-gradient");
  b.nodes.push({ name: b.fresh(PREFIX), opType: "Identity", domain: "", inputs: [x], outputs: [out], attributes: {} });
  return out;
}

/** Whether `node` was made by {@link stopGradient}. */
export function isStopGradient(node: IrNode): boolean {
  return node.opType === "Identity" && node.name.includes(PREFIX);
}

import type { GraphBuilder } from "../ir/graph-builder.js";
import type { IrNode } from "../ir/graph.js";

/**
 * What a {@link VjpRule} sees of one node during the reverse sweep.
 *
 * The rule emits ONNX nodes through `builder` that compute the vector-Jacobian product: the gradient of the
 * scalar being differentiated with respect to each input of `node`, given the gradients with respect to its
 * outputs. Rules emit only operators that have rules themselves (or take no differentiable input), so a
 * gradient graph can be differentiated again (Hessian-vector products).
 */
export interface VjpContext {
  /** Where to emit nodes. */
  readonly builder: GraphBuilder;
  /** The node being differentiated. */
  readonly node: IrNode;
  /** The gradient with respect to each output of `node`, or `null` where none flows. At least one is non-null. */
  readonly outputGradients: readonly (string | null)[];
  /** Which inputs need a gradient (they depend on the variable being differentiated for). */
  readonly needsGradient: readonly boolean[];
  /** Static shape of a tensor, `-1` on axes that follow the batch size. */
  shape(name: string): readonly number[];
  /** Throw an {@link UnsupportedOpError} for this node with a reason (e.g. an attribute value). */
  unsupported(detail: string): never;
}

/**
 * The reverse-mode rule of one operator: returns, per input, the name of its gradient tensor (same shape as the
 * input), or `null` when the input needs none. Called only when at least one output has a gradient.
 */
export type VjpRule = (context: VjpContext) => readonly (string | null)[];

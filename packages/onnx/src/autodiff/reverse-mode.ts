import type { GraphBuilder } from "../ir/graph-builder.js";
import { DataType, type IrNode } from "../ir/graph.js";
import type { ShapeTable } from "../ir/shape-probe.js";
import { UnsupportedOpError } from "../unsupported-op-error.js";
import { NON_DIFFERENTIABLE, VJP_RULES, supportedOperators } from "./rule-table.js";
import type { VjpContext } from "./vjp-rule.js";
import { filledLike } from "./rules/helpers.js";
import { isStopGradient } from "./stop-gradient.js";

/** What {@link reverseMode} differentiates. */
export interface ReverseModeRequest {
  /** The variable: a tensor (usually the graph input) that gradients are taken with respect to. */
  readonly wrt: string;
  /** The tensor whose seeded sum is differentiated. */
  readonly target: string;
  /**
   * A tensor of `target`'s shape: the gradient of the scalar with respect to `target` (a one-hot row for a logit,
   * the SoftMax head's seed, a direction `v` for a Hessian-vector product).
   */
  readonly seed: string;
}

const isFloat = (t: number | undefined) => t === DataType.FLOAT || t === DataType.DOUBLE;

/**
 * The tensors that depend on `wrt` through differentiable operators, and the nodes that produce them.
 * @throws {@link UnsupportedOpError} for the first node on such a path that has no rule.
 */
export function activeTensors(nodes: readonly IrNode[], wrt: string, shapes: Pick<ShapeTable, "dataType">): Set<string> {
  const active = new Set([wrt]);
  for (const node of nodes) {
    if (!node.inputs.some((i) => i && active.has(i))) continue;
    if (NON_DIFFERENTIABLE.has(node.opType) || isStopGradient(node)) continue;
    const floatOutputs = node.outputs.filter((o) => o && isFloat(shapes.dataType(o)));
    if (floatOutputs.length === 0) continue;
    if (node.domain !== "" || !VJP_RULES.has(node.opType)) {
      throw new UnsupportedOpError(node.name, node.domain ? `${node.domain}:${node.opType}` : node.opType, supportedOperators());
    }
    for (const o of floatOutputs) active.add(o);
  }
  return active;
}

/**
 * Reverse-mode differentiation of the graph in `builder`: appends the nodes that compute
 * `∂(Σ seed ⊙ target)/∂wrt` and returns the name of that gradient tensor (shape of `wrt`).
 *
 * One sweep over the nodes that lie between `wrt` and `target`, in reverse topological order; each node's
 * {@link VjpRule} emits its vector-Jacobian product, and gradients that reach one tensor along several paths are
 * added. For a batch of independent rows (every supported operator keeps rows apart) and a seed that is the
 * per-row gradient of a per-row scalar, row i of the result is the gradient of row i's scalar.
 *
 * @param builder - holds the graph (forward nodes, target head); the gradient nodes are appended to it.
 * @param shapes - shapes and types of every tensor the rules ask about (from {@link probeShapes}).
 * @param request - variable, target tensor and seed.
 * @throws {@link UnsupportedOpError} for a node on the path that cannot be differentiated.
 */
export function reverseMode(builder: GraphBuilder, shapes: ShapeTable, request: ReverseModeRequest): string {
  return reverseSweep(builder, shapes, request, []).gradient;
}

/**
 * {@link reverseMode} that also returns the adjoints (gradients of the same scalar) of the tensors `adjointsOf`,
 * `null` for a tensor the target does not depend on through differentiable operators.
 */
export function reverseSweep(
  builder: GraphBuilder,
  shapes: ShapeTable,
  request: ReverseModeRequest,
  adjointsOf: readonly string[],
): { gradient: string; adjoints: Map<string, string | null> } {
  const nodes = [...builder.nodes];
  const active = activeTensors(nodes, request.wrt, shapes);
  if (!active.has(request.target)) {
    // The target does not depend on the variable: its gradient is zero.
    return { gradient: filledLike(builder, request.wrt, 0), adjoints: new Map(adjointsOf.map((a) => [a, null])) };
  }
  // Nodes that lead to the target (backward reachability over active tensors).
  const needed = new Set([request.target]);
  const path: IrNode[] = [];
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i];
    if (!node.outputs.some((o) => o && needed.has(o))) continue;
    if (NON_DIFFERENTIABLE.has(node.opType) || isStopGradient(node)) continue;
    path.push(node);
    for (const input of node.inputs) if (input && active.has(input)) needed.add(input);
  }
  const contributions = new Map<string, string[]>();
  contributions.set(request.target, [request.seed]);
  const gradientOf = (name: string): string | null => {
    const parts = contributions.get(name);
    if (!parts || parts.length === 0) return null;
    if (parts.length === 1) return parts[0];
    const sum = builder.op("Sum", parts);
    contributions.set(name, [sum]);
    return sum;
  };
  for (const node of path) {
    const outputGradients = node.outputs.map((o) => (o && active.has(o) ? gradientOf(o) : null));
    if (outputGradients.every((g) => g === null)) continue;
    const needsGradient = node.inputs.map((i) => !!i && active.has(i) && needed.has(i));
    if (!needsGradient.some(Boolean)) continue;
    const rule = VJP_RULES.get(node.opType)!;
    const context: VjpContext = {
      builder,
      node,
      outputGradients,
      needsGradient,
      shape: (name) => shapes.shape(name),
      unsupported(detail: string): never {
        throw new UnsupportedOpError(node.name, node.opType, supportedOperators(), detail);
      },
    };
    const inputGradients = rule(context);
    node.inputs.forEach((input, k) => {
      const g = inputGradients[k];
      if (!needsGradient[k] || !g) return;
      const list = contributions.get(input) ?? [];
      list.push(g);
      contributions.set(input, list);
    });
  }
  const adjoints = new Map(adjointsOf.map((a) => [a, gradientOf(a)]));
  return { gradient: gradientOf(request.wrt) ?? filledLike(builder, request.wrt, 0), adjoints };
}

import * as tf from "@tensorflow/tfjs-core";
import { InvalidArgumentError } from "@smoothhess/errors";
import { type DenseKernel, mlpFromDenseKernels } from "./dense-stack.js";
import { checkEngine } from "./from-layers-model.js";
import { ModelOracle, type ModelOracleOptions, checkInputShape, functionNetwork } from "./model-oracle.js";
import type { TfjsTarget } from "./target.js";
import { UnsupportedModelError } from "./unsupported-model-error.js";
import { requireBackend } from "./backend.js";

/**
 * The parts of a `tf.GraphModel` (`@tensorflow/tfjs-converter`, `tf.loadGraphModel`) that {@link fromGraphModel}
 * reads. Declared structurally so that this package needs no tfjs-converter import.
 */
export interface GraphModelLike {
  readonly inputs: readonly { readonly name: string; readonly shape?: readonly number[] }[];
  readonly outputs: readonly { readonly name: string }[];
  execute(inputs: tf.Tensor, outputs?: string): unknown;
  /** The graph's constant tensors by node name (read for the fast-path conversion). */
  readonly weights?: Readonly<Record<string, readonly tf.Tensor[]>>;
}

interface GraphNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, { b?: boolean; list?: { s?: string[] } }>;
}

/**
 * The Dense layers of a graph that is a plain Dense/ReLU stack — from the input placeholder (optionally through a
 * `Reshape`) to the output, `MatMul` (weights constant; `transpose_b` honoured) + `BiasAdd`/`Add`/`AddV2` of a
 * constant, or `_FusedMatMul` with `BiasAdd` (and `Relu`), then `Relu`, with `Identity` nodes anywhere and no ReLU
 * after the last — or the reason it is not one. The returned kernels are new tensors in tfjs' `[inputs, outputs]`
 * orientation; the caller disposes them.
 */
export function graphDenseReluStack(model: GraphModelLike): { layers: DenseKernel[] } | { reason: string } {
  // The GraphDef of a loaded model sits in its (TypeScript-private) `artifacts`; without it the graph stays opaque.
  const artifacts = (model as { artifacts?: { modelTopology?: unknown } }).artifacts;
  const topology = artifacts?.modelTopology as { node?: GraphNode[] } | undefined;
  const weights = model.weights;
  if (!topology?.node || !weights) return { reason: "its GraphDef or weights are not available" };
  if (model.inputs.length !== 1 || model.outputs.length !== 1) return { reason: "it has more than one input or output" };
  const nodes = new Map(topology.node.map((node) => [node.name, node]));
  const constant = (name: string): tf.Tensor | undefined => {
    const node = nodes.get(strip(name));
    return node?.op === "Const" ? weights[node.name]?.[0] : undefined;
  };
  // Walk from the output back to the input; `chain` collects affine layers and ReLUs output first.
  const chain: ({ kind: "affine"; kernel: tf.Tensor; transposed: boolean; bias?: tf.Tensor } | { kind: "relu" })[] = [];
  let pendingBias: tf.Tensor | undefined;
  let name = strip(model.outputs[0].name);
  for (let steps = 0; steps < 10_000; steps++) {
    const node = nodes.get(name);
    if (!node) return { reason: `node "${name}" is missing from the graph` };
    const inputs = (node.input ?? []).filter((i) => !i.startsWith("^"));
    switch (node.op) {
      case "Placeholder":
        if (pendingBias) return { reason: "a bias is added to the input itself" };
        return finish(chain.reverse());
      case "Identity":
        name = strip(inputs[0]);
        continue;
      case "Reshape": {
        if (nodes.get(strip(inputs[0]))?.op !== "Placeholder") return { reason: `Reshape node "${name}" is not at the input` };
        name = strip(inputs[0]);
        continue;
      }
      case "Relu":
        if (pendingBias) return { reason: `ReLU node "${name}" sits between a MatMul and its bias` };
        chain.push({ kind: "relu" });
        name = strip(inputs[0]);
        continue;
      case "BiasAdd":
      case "Add":
      case "AddV2": {
        const b = constant(inputs[1]) ?? constant(inputs[0]);
        if (!b || pendingBias) return { reason: `${node.op} node "${name}" does not add one constant bias to a MatMul` };
        pendingBias = b;
        name = strip(constant(inputs[1]) ? inputs[0] : inputs[1]);
        continue;
      }
      case "MatMul":
      case "_FusedMatMul": {
        const kernel = constant(inputs[1]);
        if (!kernel || node.attr?.transpose_a?.b) return { reason: `${node.op} node "${name}" does not multiply by a constant weight matrix` };
        const transposed = node.attr?.transpose_b?.b === true;
        if (node.op === "_FusedMatMul") {
          const ops = (node.attr?.fused_ops?.list?.s ?? []).map(decodeAttrString);
          const bias = constant(inputs[2]);
          if (ops[0] !== "BiasAdd" || !bias || ops.length > 2 || (ops.length === 2 && ops[1] !== "Relu") || pendingBias) {
            return { reason: `_FusedMatMul node "${name}" fuses ${ops.join(", ") || "nothing"} (only BiasAdd and Relu convert)` };
          }
          if (ops[1] === "Relu") chain.push({ kind: "relu" });
          chain.push({ kind: "affine", kernel, transposed, bias });
        } else {
          chain.push({ kind: "affine", kernel, transposed, bias: pendingBias });
        }
        pendingBias = undefined;
        name = strip(inputs[0]);
        continue;
      }
      default:
        return { reason: `node "${name}" is a ${node.op} (only MatMul, BiasAdd/Add, Relu, Identity and an input Reshape convert)` };
    }
  }
  return { reason: "the graph is too deep" };
}

function finish(chain: ({ kind: "affine"; kernel: tf.Tensor; transposed: boolean; bias?: tf.Tensor } | { kind: "relu" })[]): { layers: DenseKernel[] } | { reason: string } {
  const layers: DenseKernel[] = [];
  for (let i = 0; i < chain.length; i++) {
    const step = chain[i];
    const expectAffine = i % 2 === 0;
    if ((step.kind === "affine") !== expectAffine) return { reason: "its MatMuls and ReLUs do not alternate (affine, ReLU, …, affine)" };
    if (step.kind === "affine") layers.push(step);
  }
  if (chain.length === 0 || chain[chain.length - 1].kind !== "affine") return { reason: "its output is not an affine layer" };
  return {
    layers: layers.map((l) => {
      const a = l as { kernel: tf.Tensor; transposed: boolean; bias?: tf.Tensor };
      return { kernel: a.transposed ? tf.transpose(a.kernel) : tf.clone(a.kernel), bias: a.bias ? tf.clone(a.bias) : undefined };
    }),
  };
}

function strip(name: string): string {
  return name.replace(/:\d+$/, "");
}

/** GraphDef JSON stores attribute strings base64-encoded. */
function decodeAttrString(s: string): string {
  if (/^[A-Za-z_]+$/.test(s) && !s.endsWith("=")) return s;
  try {
    return new TextDecoder().decode(Uint8Array.from(atob(s), (c) => c.charCodeAt(0)));
  } catch {
    return s;
  }
}

/**
 * A gradient oracle for one scalar target of a `tf.GraphModel` (loaded with `tf.loadGraphModel` from a model
 * converted by `tensorflowjs_converter`, or from `tf.io.fromMemory`): the targets of `tfjsOracle`.
 *
 * A graph that is a plain Dense/ReLU stack (see {@link graphDenseReluStack}) is converted to this package's MLP and
 * runs the fast backward pass (`engine: "fast"`); any other graph runs `tf.grad` through `model.execute`, which needs
 * every op of the graph to have a registered gradient (no control flow). Inputs are flattened row-major over the
 * graph's input shape; give `inputShape` when the graph leaves sizes unknown.
 *
 * @throws {@link InvalidArgumentError} for something that is not a GraphModel or a bad target;
 *   {@link UnsupportedModelError} for `engine: "fast"` on a graph that does not convert (the reason names the node)
 *   or an input shape that is neither in the graph nor given.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { fromGraphModel } from "@smoothhess/tfjs";
 * const model = await tf.loadGraphModel("https://example.com/model/model.json");
 * const oracle = fromGraphModel(model, { softmax: 3 });
 * ```
 */
export function fromGraphModel(
  model: GraphModelLike,
  target: TfjsTarget,
  options: ModelOracleOptions & { readonly inputShape?: readonly number[] } = {},
): ModelOracle {
  requireBackend("fromGraphModel");
  if (!model || typeof model !== "object" || typeof model.execute !== "function" || !Array.isArray(model.inputs) || !Array.isArray(model.outputs)) {
    throw new InvalidArgumentError("model", "a tf.GraphModel (tf.loadGraphModel)", model);
  }
  const engine = checkEngine(options.engine);
  let inputShape: number[];
  if (options.inputShape !== undefined) {
    inputShape = checkInputShape("options.inputShape", options.inputShape);
  } else {
    const shape = model.inputs[0]?.shape;
    if (!shape || shape.slice(1).some((s: number) => !(s > 0))) {
      throw new UnsupportedModelError("model", `its input shape [${shape ?? "unknown"}] leaves sizes besides the batch axis unknown; pass options.inputShape`);
    }
    inputShape = checkInputShape("model.inputs[0].shape", shape.slice(1));
  }
  if (engine !== "autograd") {
    const stack = graphDenseReluStack(model);
    if ("layers" in stack) {
      try {
        return new ModelOracle({ kind: "fast", network: mlpFromDenseKernels(stack.layers, inputShape) }, target, options);
      } finally {
        for (const { kernel, bias } of stack.layers) {
          kernel.dispose();
          bias?.dispose();
        }
      }
    }
    if (engine === "fast") throw new UnsupportedModelError("model", `engine "fast" needs a plain Dense/ReLU stack, but ${stack.reason}`);
  }
  const output = model.outputs[0].name;
  const network = functionNetwork((x) => model.execute(x, model.outputs.length > 1 ? output : undefined), inputShape, "model");
  return new ModelOracle({ kind: "autograd", network }, target, options);
}

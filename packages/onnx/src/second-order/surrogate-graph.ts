import { GraphBuilder } from "../ir/graph-builder.js";
import { DataType, type IrGraph, type IrNode } from "../ir/graph.js";
import { OnnxModelError } from "../onnx-model-error.js";

/** The smooth activation that replaces every ReLU (the semantics of `@smoothhess/surrogates`). */
export type SmoothActivationName = "softplus" | "swish" | "gelu";

/** Name of the scalar graph input that carries β in a surrogate graph. */
export const BETA_INPUT = "smoothhess:beta";

/**
 * The graph with every `Relu` node replaced by a smooth activation whose β is the scalar graph input
 * {@link BETA_INPUT}, so one graph (and one ONNX Runtime session) serves every β:
 * - softplus: `SoftPlus_β(u) = Softplus(β·u)/β` (ONNX Runtime's Softplus is the stable `log1p(e^{−|x|}) + max(x, 0)`);
 * - swish: `Swish_β(u) = u·σ(β·u)`;
 * - gelu: `u·Φ(u) = u·(1 + erf(u/√2))/2` (β is ignored).
 * ONNX Runtime lacks float64 Softplus and Erf kernels: in a float64 graph SoftPlus is written with Relu, Sigmoid and
 * Log, and GELU is refused ({@link OnnxModelError}).
 * Every replaced node keeps its input and output tensor names, so pre-activations and targets read the same
 * tensors as in the ReLU graph. The graph is float32 or float64 as the model is.
 */
export function surrogateGraph(graph: IrGraph, activation: SmoothActivationName, opset: number): IrGraph {
  const base: IrGraph = { ...graph, nodes: [] };
  const b = new GraphBuilder(base, { opset, prefix: `surrogate-${activation}`, floatType: graph.inputs[0].dataType });
  const beta = BETA_INPUT;
  for (const node of graph.nodes) {
    if (node.opType !== "Relu") {
      b.nodes.push(node);
      continue;
    }
    const [u] = node.inputs;
    const [a] = node.outputs;
    const emit = (opType: string, inputs: string[], output?: string): string => {
      const out = output ?? b.fresh(opType);
      const replaced: IrNode = { name: b.fresh(`${node.name}/${opType}`), opType, domain: "", inputs, outputs: [out], attributes: {} };
      b.nodes.push(replaced);
      return out;
    };
    if (activation === "softplus" && b.floatType === DataType.DOUBLE) {
      // ONNX Runtime has no float64 Softplus: max(t, 0) − log σ(|t|), with |t| = relu(t) + relu(−t).
      const t = emit("Mul", [u, beta]);
      const positive = emit("Relu", [t]);
      const magnitude = emit("Add", [positive, emit("Relu", [emit("Neg", [t])])]);
      const softplus = emit("Sub", [positive, emit("Log", [emit("Sigmoid", [magnitude])])]);
      emit("Div", [softplus, beta], a);
    } else if (activation === "softplus") {
      emit("Div", [emit("Softplus", [emit("Mul", [u, beta])]), beta], a);
    } else if (activation === "swish") {
      emit("Mul", [u, emit("Sigmoid", [emit("Mul", [u, beta])])], a);
    } else {
      if (b.floatType === DataType.DOUBLE) {
        throw new OnnxModelError("activation", "a GELU surrogate of a float64 model: ONNX Runtime has no float64 Erf kernel (use a float32 model)");
      }
      const cdf = emit("Mul", [emit("Add", [emit("Erf", [emit("Mul", [u, b.scalar(Math.SQRT1_2)])]), b.scalar(1)]), b.scalar(0.5)]);
      emit("Mul", [u, cdf], a);
    }
  }
  return b.finish({
    inputs: [...graph.inputs, { name: beta, dataType: graph.inputs[0].dataType, shape: [] }],
    outputs: graph.outputs,
  });
}

import * as tf from "@tensorflow/tfjs-core";
import { mlpFromDenseKernels, type Network } from "@smoothhess/tfjs";
import { onnx } from "onnx-proto";

/**
 * The tfjs MLP of an ONNX file that is a Gemm/ReLU stack (as `torch.onnx.export` writes an `nn.Linear` + `nn.ReLU`
 * network, e.g. the SmoothHess authors' MNIST model): each Gemm's weight (`[outputs, inputs]` with `transB = 1`) is
 * transposed into tfjs' `[inputs, outputs]` orientation; `mlpFromDenseKernels` checks that the layers chain.
 * Runs in Node and in browsers (onnx-proto reads the protobuf).
 *
 * @throws Error naming the node when the graph holds anything but Gemm and Relu.
 */
export function mlpFromOnnx(bytes: Uint8Array): Network {
  const model = onnx.ModelProto.decode(bytes);
  const graph = model.graph;
  if (!graph) throw new Error("the ONNX file has no graph");
  const initializers = new Map((graph.initializer ?? []).map((t) => [t.name ?? "", t]));
  const values = (name: string): { data: Float32Array; dims: number[] } => {
    const t = initializers.get(name);
    if (!t) throw new Error(`Gemm input ${name} is not a constant`);
    const dims = (t.dims ?? []).map(Number);
    const raw = t.rawData && t.rawData.length > 0 ? t.rawData : undefined;
    const data = raw ? new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength)) : Float32Array.from(t.floatData ?? []);
    return { data, dims };
  };
  const ops = (graph.node ?? []).map((node) => node.opType).join(",");
  if (!/^Gemm(,Relu,Gemm)*$/.test(ops)) throw new Error(`the graph is ${ops}; only Gemm, Relu, Gemm, … converts`);
  const layers: { kernel: tf.Tensor2D; bias: tf.Tensor1D }[] = [];
  try {
    for (const node of graph.node ?? []) {
      if (node.opType === "Relu") continue;
      if (node.opType !== "Gemm") throw new Error(`node ${node.name} is a ${node.opType}; only Gemm and Relu convert`);
      const transB = node.attribute?.find((a) => a.name === "transB")?.i ?? 0;
      const w = values(node.input?.[1] ?? "");
      const b = values(node.input?.[2] ?? "");
      const kernel = tf.tensor2d(w.data, [w.dims[0], w.dims[1]]);
      layers.push({ kernel: Number(transB) === 1 ? tf.tidy(() => tf.transpose(kernel)) : tf.clone(kernel), bias: tf.tensor1d(b.data) });
      kernel.dispose();
    }
    return mlpFromDenseKernels(layers);
  } finally {
    for (const { kernel, bias } of layers) {
      kernel.dispose();
      bias.dispose();
    }
  }
}

// Test-only: one Dense/ReLU network in every form the explain package accepts.
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import * as tfc from "@tensorflow/tfjs-converter";
import { denseNetwork, type DenseNetwork } from "@smoothhess/oracle";

/** Layer l: `weights` row-major [outputs, inputs] (PyTorch / ONNX Gemm transB = 1), `bias`. */
export interface TorchLayer {
  readonly weights: Float32Array;
  readonly bias: Float32Array;
  readonly inputs: number;
  readonly outputs: number;
}

/** The tfjs Dense kernel [inputs, outputs] of a layer. */
export function tfjsKernel(layer: TorchLayer): Float32Array {
  const k = new Float32Array(layer.inputs * layer.outputs);
  for (let o = 0; o < layer.outputs; o++) for (let i = 0; i < layer.inputs; i++) k[i * layer.outputs + o] = layer.weights[o * layer.inputs + i];
  return k;
}

export function asDenseNetwork(layers: readonly TorchLayer[]): DenseNetwork {
  return denseNetwork(layers.map((l) => ({ weights: l.weights, bias: l.bias, shape: [l.outputs, l.inputs] })));
}

export function asLayersModel(layers: readonly TorchLayer[]): tfl.LayersModel {
  const model = tfl.sequential({
    layers: layers.map((l, i) =>
      tfl.layers.dense({ ...(i === 0 ? { inputShape: [l.inputs] } : {}), units: l.outputs, activation: i + 1 < layers.length ? "relu" : "linear" }),
    ),
  });
  model.layers.forEach((dense, i) => dense.setWeights([tf.tensor2d(tfjsKernel(layers[i]), [layers[i].inputs, layers[i].outputs]), tf.tensor1d(layers[i].bias)]));
  return model;
}

export function asFunction(layers: readonly TorchLayer[]): { fn: (x: tf.Tensor) => tf.Tensor; dispose(): void } {
  const kernels = layers.map((l) => tf.tensor2d(tfjsKernel(l), [l.inputs, l.outputs]));
  const biases = layers.map((l) => tf.tensor1d(l.bias));
  return {
    fn: (x) => {
      let h = tf.reshape(x, [-1, layers[0].inputs]);
      kernels.forEach((k, i) => {
        h = tf.add(tf.matMul(h, k), biases[i]);
        if (i + 1 < kernels.length) h = tf.relu(h);
      });
      return h;
    },
    dispose: () => [...kernels, ...biases].forEach((t) => t.dispose()),
  };
}

/** A GraphModel (what tensorflowjs_converter writes: MatMul + BiasAdd + Relu) from an in-memory GraphDef. */
export function asGraphModel(layers: readonly TorchLayer[]): Promise<tfc.GraphModel> {
  const f = { type: "DT_FLOAT" };
  const node: object[] = [{ name: "x", op: "Placeholder", attr: { dtype: f, shape: { shape: { dim: [{ size: "-1" }, { size: String(layers[0].inputs) }] } } } }];
  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  const parts: Float32Array[] = [];
  let h = "x";
  layers.forEach((l, i) => {
    for (const [name, values, shape] of [[`w${i}`, tfjsKernel(l), [l.inputs, l.outputs]], [`b${i}`, l.bias, [l.outputs]]] as const) {
      node.push({ name, op: "Const", attr: { dtype: f, value: { tensor: { dtype: "DT_FLOAT", tensorShape: { dim: shape.map((s) => ({ size: String(s) })) } } } } });
      weightSpecs.push({ name, shape: [...shape], dtype: "float32" });
      parts.push(values);
    }
    node.push({ name: `mm${i}`, op: "MatMul", input: [h, `w${i}`], attr: { T: f, transpose_a: { b: false }, transpose_b: { b: false } } });
    node.push({ name: `add${i}`, op: "BiasAdd", input: [`mm${i}`, `b${i}`], attr: { T: f } });
    h = `add${i}`;
    if (i + 1 < layers.length) {
      node.push({ name: `relu${i}`, op: "Relu", input: [h], attr: { T: f } });
      h = `relu${i}`;
    }
  });
  node.push({ name: "logits", op: "Identity", input: [h], attr: { T: f } });
  const data = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    data.set(p, offset);
    offset += p.length;
  }
  return tfc.loadGraphModel(tf.io.fromMemory({ modelTopology: { node, versions: { producer: 1 } }, weightSpecs, weightData: data.buffer, format: "graph-model" }));
}

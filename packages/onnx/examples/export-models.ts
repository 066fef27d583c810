// Export tfjs and float64 networks to ONNX, then explain them on the engine (README: "Export to ONNX").
import { writeFile } from "node:fs/promises";
import * as tfl from "@tensorflow/tfjs-layers";
import { randomDenseNetwork, softplus } from "@smoothhess/oracle";
import { paperMnistMlp, useBackend } from "@smoothhess/tfjs";
import { denseNetworkToOnnx, layersModelToOnnx, loadOnnxModel, networkToOnnx, onnxOracle } from "@smoothhess/onnx";

await useBackend("cpu");

// 1. A Network of @smoothhess/tfjs (MLP, ResNet-18, 1-D CNN) with its current weights — trained, or loadNetwork(dir).
const mlp = paperMnistMlp(0);
await writeFile("mnist-mlp.onnx", networkToOnnx(mlp)); // input [batch, 784] → output [batch, 10]; hidden{l} named
mlp.dispose();

// 2. A tf.LayersModel of Dense, Conv1D/2D, BatchNormalization, Activation, Flatten, pooling, Add, Dropout layers.
const cnn = tfl.sequential({
  layers: [
    tfl.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 3, padding: "same", activation: "relu" }),
    tfl.layers.batchNormalization(),
    tfl.layers.maxPooling2d({ poolSize: 2 }),
    tfl.layers.flatten(),
    tfl.layers.dense({ units: 10 }),
  ],
});
await writeFile("tfjs-cnn.onnx", layersModelToOnnx(cnn)); // input [batch, 28, 28, 1], as model.predict takes it

// 3. The float64 DenseNetwork of @smoothhess/oracle (weights rounded to float32), with its activation.
const dense = randomDenseNetwork([784, 64, 10], { seed: 1 }).withActivation(softplus(10));
await writeFile("dense-softplus.onnx", denseNetworkToOnnx(dense));

// Any of them is now a model for the engine:
const model = await loadOnnxModel("mnist-mlp.onnx");
const neuron = await onnxOracle(model, { target: { layer: 5, unit: 0 }, threads: 1 }); // a penultimate neuron
const { values, gradients } = await neuron.evaluate(new Float32Array(784).fill(0.5), 1);
console.log(values[0], gradients.length); // … 784
await neuron.dispose();

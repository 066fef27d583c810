// The exporters' models on the engine: input gradients of the exported graph equal those of the source model.
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import * as tfl from "@tensorflow/tfjs-layers";
import { networkOracle, randomDenseNetwork, softplus } from "@smoothhess/oracle";
import { mlp, tfjsOracle, useBackend } from "@smoothhess/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { denseNetworkToOnnx } from "./dense-network-export.js";
import { relativeError, uniformValues } from "./export-test-support.js";
import { layersModelToOnnx } from "./layers-model-export.js";
import { networkToOnnx } from "./network-export.js";
import { loadOnnxModel } from "./onnx-model.js";
import { onnxOracle } from "./onnx-oracle.js";
import type { OnnxTarget } from "./target.js";

beforeAll(async () => {
  await useBackend("cpu");
});

// Float32 gradients on both sides, different summation orders: 1e-4 of the largest entry.
const TOLERANCE = 1e-4;

async function engineGradients(bytes: Uint8Array, target: OnnxTarget, x: Float32Array, n: number): Promise<Float32Array | Float64Array> {
  const oracle = await onnxOracle(await loadOnnxModel(bytes), { target, threads: 1 });
  try {
    return (await oracle.evaluate(x, n)).gradients;
  } finally {
    await oracle.dispose();
  }
}

describe("exported models on the engine", () => {
  // networkToOnnx against tfjsOracle for every architecture and target: tfjs-agreement.test.ts.
  it("MLP: the named pre-activation hidden{l} is the engine's layer l and a tensor target", async () => {
    const net = mlp({ sizes: [5, 7, 6, 3], seed: 4 });
    try {
      const x = uniformValues(9, 2 * 5);
      const expected = (await tfjsOracle(net, { layer: 2, unit: 3 }, { engine: "autograd" }).evaluate(x, 2)).gradients;
      expect(relativeError(await engineGradients(networkToOnnx(net), { layer: 2, unit: 3 }, x, 2), expected)).toBeLessThan(TOLERANCE);
      expect(relativeError(await engineGradients(networkToOnnx(net), { tensor: "hidden2", unit: 3 }, x, 2), expected)).toBeLessThan(TOLERANCE);
    } finally {
      net.dispose();
    }
  });

  it("DenseNetwork with SoftPlus: gradients equal the float64 networkOracle's", async () => {
    const net = randomDenseNetwork([6, 9, 5], { seed: 5 }).withActivation(softplus(3));
    const x = uniformValues(10, 4 * 6);
    const expected = networkOracle(net, { output: 2 }).evaluate(x, 4).gradients;
    expect(relativeError(await engineGradients(denseNetworkToOnnx(net), { output: 2 }, x, 4), expected)).toBeLessThan(TOLERANCE);
  });

  it("LayersModel CNN: gradients equal tf.grad of model.apply", async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.conv2d({ inputShape: [7, 6, 2], filters: 3, kernelSize: 3, strides: 2, padding: "same", activation: "relu" }),
        tfl.layers.batchNormalization(),
        tfl.layers.averagePooling2d({ poolSize: 2 }),
        tfl.layers.flatten(),
        tfl.layers.dense({ units: 3, activation: "tanh" }),
      ],
    });
    const n = 2;
    const x = uniformValues(11, n * 7 * 6 * 2);
    const g = tf.grad((input: tf.Tensor) => tf.sum(tf.slice(model.apply(input) as tf.Tensor, [0, 1], [n, 1])))(tf.tensor(x, [n, 7, 6, 2]));
    const expected = Float64Array.from(g.dataSync());
    g.dispose();
    expect(relativeError(await engineGradients(layersModelToOnnx(model), { output: 1 }, x, n), expected)).toBeLessThan(TOLERANCE);
  });

  it("LayersModel with 'same' average pooling: gradients equal central differences of model.predict", async () => {
    // Not tf.grad here: tfjs's own avgPool gradient with "same" padding disagrees with finite differences of its
    // forward pass (by ~50 % of the largest entry on a small CNN), while the engine's agrees. Smooth activations
    // keep the differences exact.
    const model = tfl.sequential({
      layers: [
        tfl.layers.conv2d({ inputShape: [5, 4, 1], filters: 2, kernelSize: 2, padding: "same", activation: "tanh" }),
        tfl.layers.averagePooling2d({ poolSize: 2, padding: "same" }),
        tfl.layers.flatten(),
        tfl.layers.dense({ units: 2 }),
      ],
    });
    const d = 20, h = 1e-2;
    const x = uniformValues(12, d);
    const batch = new Float32Array(2 * d * d);
    for (let j = 0; j < d; j++) {
      batch.set(x, 2 * j * d);
      batch.set(x, (2 * j + 1) * d);
      batch[2 * j * d + j] += h;
      batch[(2 * j + 1) * d + j] -= h;
    }
    const out = model.predict(tf.tensor(batch, [2 * d, 5, 4, 1])) as tf.Tensor;
    const f = out.dataSync();
    out.dispose();
    const differences = Float64Array.from({ length: d }, (_, j) => (f[2 * j * 2 + 1] - f[(2 * j + 1) * 2 + 1]) / (2 * h));
    // float32 central differences: O(h²) truncation plus ~1e-7/h rounding
    expect(relativeError(await engineGradients(layersModelToOnnx(model), { output: 1 }, x, 1), differences)).toBeLessThan(2e-3);
  });
});

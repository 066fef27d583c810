import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import * as tfl from "@tensorflow/tfjs-layers";
import { randomDenseNetwork } from "@smoothhess/oracle";
import { mlpFromDenseKernels } from "@smoothhess/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { interactions } from "./interactions.js";

// One network three ways: float64 DenseNetwork (reference), tf.LayersModel, tensor function, @smoothhess/tfjs mlp.
const SIZES = [9, 12, 8, 4];
const reference = randomDenseNetwork(SIZES, { seed: 3 });
/** Layer l's kernel in tfjs' [inputs, outputs] orientation. */
const kernels = reference.layers.map((layer) => {
  const k = new Float32Array(layer.inputs * layer.outputs);
  for (let o = 0; o < layer.outputs; o++) for (let i = 0; i < layer.inputs; i++) k[i * layer.outputs + o] = layer.weights[o * layer.inputs + i];
  return tf.tensor2d(k, [layer.inputs, layer.outputs]);
});
const biases = reference.layers.map((layer) => tf.tensor1d(Float32Array.from(layer.bias)));
const x0 = Float64Array.from({ length: 9 }, (_, i) => Math.cos(i) * 0.5 + 0.5);

function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0, scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("interactions on tfjs models (loaded from @smoothhess/tfjs on demand)", () => {
  it("a LayersModel, a tensor function and a tfjs Network give the float64 result (same seed) to float32 precision", async () => {
    const options = { samples: 2000, seed: 11, target: { softmax: "predicted" } } as const;
    const expected = await interactions(reference, x0, options);
    const layers = tfl.sequential({
      layers: [
        tfl.layers.dense({ inputShape: [9], units: 12, activation: "relu" }),
        tfl.layers.dense({ units: 8, activation: "relu" }),
        tfl.layers.dense({ units: 4 }),
      ],
    });
    layers.layers.forEach((layer, l) => layer.setWeights([kernels[l], biases[l]]));
    const fn = (x: tf.Tensor) => {
      let h = tf.reshape(x, [-1, 9]);
      kernels.forEach((k, l) => {
        h = tf.add(tf.matMul(h, k), biases[l]);
        if (l < 2) h = tf.relu(h);
      });
      return h;
    };
    const network = mlpFromDenseKernels(kernels.map((kernel, l) => ({ kernel, bias: biases[l] })));
    const before = tf.memory().numTensors;
    for (const [model, engine, extra] of [
      [layers, "tfjs fast", {}],
      [layers, "tfjs autograd", { engine: "autograd" }],
      [fn, "tfjs autograd", { inputShape: [3, 3] }],
      [network, "tfjs fast", {}],
    ] as const) {
      const r = await interactions(model, x0, { ...options, ...extra });
      expect(r.engine).toBe(engine);
      expect(r.target).toBe(expected.target);
      expect(relativeError(r.hessian, expected.hessian)).toBeLessThan(1e-4);
      expect(relativeError(r.smoothGrad, expected.smoothGrad)).toBeLessThan(1e-5);
    }
    expect((await interactions(fn, x0, { ...options, inputShape: [3, 3], samples: 20 })).inputShape).toEqual([3, 3]);
    expect(tf.memory().numTensors).toBe(before); // every oracle made for an input was disposed
    network.dispose();
    layers.dispose();
  });
});

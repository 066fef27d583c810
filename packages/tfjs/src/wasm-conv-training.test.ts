import * as tf from "@tensorflow/tfjs-core";
import { useBackend } from "./backend.js";
import { afterAll, describe, expect, it } from "vitest";
import { gaussianSampler } from "@smoothhess/random";
import { UnsupportedConvolutionError, WASM_CONV_TRAINING_BACKEND, useWasmConvTraining } from "./wasm-conv-training.js";

/** Gradients of Σ c·conv1d(x, w) (c a fixed random weighting) with respect to x and w on the active backend. */
function convGradients(x: Float32Array, w: Float32Array, c: Float32Array, shapes: { n: number; length: number; cin: number; k: number; cout: number }, pad: "same" | "valid") {
  const { n, length, cin, k, cout } = shapes;
  return tf.tidy(() => {
    const xt = tf.tensor3d(x, [n, length, cin]);
    const wt = tf.tensor3d(w, [k, cin, cout]);
    const outLength = pad === "same" ? length : length - k + 1;
    const ct = tf.tensor3d(c.subarray(0, n * outLength * cout), [n, outLength, cout]);
    const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv1d(a as tf.Tensor3D, b as tf.Tensor3D, 1, pad), ct)));
    const [dx, dw] = grads([xt, wt]);
    return { dx: dx.dataSync() as Float32Array, dw: dw.dataSync() as Float32Array };
  });
}

function random(count: number, seed: number): Float32Array {
  const g = gaussianSampler(seed);
  return Float32Array.from({ length: count }, () => g.normal());
}

function maxRelativeError(a: Float32Array, b: Float32Array): number {
  let scale = 0, err = 0;
  for (let i = 0; i < a.length; i++) {
    scale = Math.max(scale, Math.abs(b[i]));
    err = Math.max(err, Math.abs(a[i] - b[i]));
  }
  return err / scale;
}

describe("wasm conv-training backend", () => {
  afterAll(async () => {
    await useBackend("wasm");
  });

  it.each([
    { n: 3, length: 40, cin: 1, k: 7, cout: 4, pad: "same" as const },
    { n: 2, length: 37, cin: 5, k: 8, cout: 3, pad: "same" as const }, // even kernel: asymmetric "same" padding
    { n: 4, length: 30, cin: 3, k: 30, cout: 2, pad: "same" as const }, // kernel as long as the signal
    { n: 2, length: 25, cin: 2, k: 5, cout: 6, pad: "valid" as const },
  ])("conv1d gradients equal the cpu backend's: %j", async (shapes) => {
    const x = random(shapes.n * shapes.length * shapes.cin, 1);
    const w = random(shapes.k * shapes.cin * shapes.cout, 2);
    const c = random(shapes.n * shapes.length * shapes.cout, 3);
    await useBackend("cpu");
    const expected = convGradients(x, w, c, shapes, shapes.pad);
    await useWasmConvTraining();
    expect(tf.getBackend()).toBe(WASM_CONV_TRAINING_BACKEND);
    const before = tf.memory().numTensors;
    const actual = convGradients(x, w, c, shapes, shapes.pad);
    expect(tf.memory().numTensors).toBe(before);
    expect(actual.dx.length).toBe(expected.dx.length);
    expect(actual.dw.length).toBe(expected.dw.length);
    expect(maxRelativeError(actual.dx, expected.dx)).toBeLessThan(1e-5);
    expect(maxRelativeError(actual.dw, expected.dw)).toBeLessThan(1e-5);
  });

  it("refuses strided convolutions with a clear message", async () => {
    await useWasmConvTraining();
    const x = tf.ones([1, 10, 1]) as tf.Tensor3D;
    const w = tf.ones([3, 1, 1]) as tf.Tensor3D;
    expect(() => tf.grad((a: tf.Tensor) => tf.sum(tf.conv1d(a as tf.Tensor3D, w, 2, "same")))(x)).toThrow(UnsupportedConvolutionError);
    expect(() => tf.grad((a: tf.Tensor) => tf.sum(tf.conv1d(a as tf.Tensor3D, w, 2, "same")))(x)).toThrow(/stride 1 only/);
    tf.dispose([x, w]);
  });
});

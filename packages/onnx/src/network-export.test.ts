import * as tf from "@tensorflow/tfjs-core";
import { cnn1d, mlp, resnet18, trainNetwork, useBackend, type Network } from "@smoothhess/tfjs";
import { InvalidArgumentError, DimensionMismatchError } from "@smoothhess/errors";
import { beforeAll, describe, expect, it } from "vitest";
import { relativeError, runOnnx, uniformValues, withExtraOutputs } from "./export-test-support.js";
import { networkToOnnx } from "./network-export.js";

beforeAll(async () => {
  await useBackend("cpu");
});

/** Replace every weight and buffer by seeded values (variances positive), so no layout error can hide. */
function randomise(network: Network, seed: number): void {
  let s = seed;
  for (const [name, v] of [...network.weights, ...network.buffers]) {
    const positive = name.endsWith("/variance") || name.endsWith("/gamma");
    const values = uniformValues(s++, v.size, positive ? 0.5 : -0.5, positive ? 1.5 : 0.5);
    v.assign(tf.tensor(values, v.shape));
  }
}

function tfjsForward(network: Network, x: Float32Array, n: number, activation?: { name: "relu" | "softplus" | "swish" | "gelu"; beta?: number }): { output: Float64Array; hidden: Float64Array[] } {
  tf.engine().startScope();
  try {
    const result = network.forward(tf.tensor2d(x, [n, network.inputSize]), { activation, capture: true });
    return { output: Float64Array.from(result.output.dataSync()), hidden: result.preActivations.map((p) => Float64Array.from(p.dataSync())) };
  } finally {
    tf.engine().endScope();
  }
}

/** Channels-first [n, C, …spatial] → tfjs's channels-last flattening [n, …spatial, C]. */
function channelsLast(values: Float64Array, dims: readonly number[]): Float64Array {
  const [n, c] = dims;
  const spatial = dims.slice(2).reduce((a, b) => a * b, 1);
  const out = new Float64Array(values.length);
  for (let i = 0; i < n; i++) for (let ch = 0; ch < c; ch++) for (let s = 0; s < spatial; s++) out[(i * spatial + s) * c + ch] = values[(i * c + ch) * spatial + s];
  return out;
}

// Float32 tolerance: both sides compute in float32 with different summation orders; 2e-5 of the output scale.
const TOLERANCE = 2e-5;

describe("networkToOnnx", () => {
  it("MLP with trained tfjs weights: ONNX Runtime reproduces tfjs's outputs and named pre-activations", async () => {
    const net = mlp({ sizes: [6, 16, 12, 3], seed: 2 });
    try {
      const n = 64;
      const x = uniformValues(3, n * 6);
      const labels = Int32Array.from({ length: n }, (_, i) => (x[i * 6] > 0 ? 1 : 0) + (x[i * 6 + 1] > 0 ? 1 : 0));
      const before = tfjsForward(net, x, n).output;
      await trainNetwork(net, { x, y: labels, n }, { loss: "cross-entropy", epochs: 3, batchSize: 16, seed: 1, optimizer: { kind: "sgd", learningRate: 0.1 } });
      const trained = tfjsForward(net, x, n);
      expect(relativeError(trained.output, before)).toBeGreaterThan(1e-2); // training changed the weights
      const model = withExtraOutputs(networkToOnnx(net), ["hidden1", "hidden2"]);
      const out = await runOnnx(model, x, [n, 6]);
      expect(out.output.dims).toEqual([n, 3]);
      expect(relativeError(out.output.data, trained.output)).toBeLessThan(TOLERANCE);
      expect(relativeError(out.hidden1.data, trained.hidden[0])).toBeLessThan(TOLERANCE);
      expect(relativeError(out.hidden2.data, trained.hidden[1])).toBeLessThan(TOLERANCE);
    } finally {
      net.dispose();
    }
  });

  it.each([
    { name: "softplus", beta: 3 },
    { name: "softplus", beta: 1 },
    { name: "swish", beta: 2 },
    { name: "gelu" },
  ] as const)("MLP with activation $name (β = $beta) matches tfjs's forward with that activation", async (activation) => {
    const net = mlp({ sizes: [5, 8, 8, 2], seed: 4 });
    try {
      randomise(net, 10);
      const x = uniformValues(5, 32 * 5, -2, 2);
      const out = await runOnnx(networkToOnnx(net, { activation }), x, [32, 5]);
      const expected = tfjsForward(net, x, 32, activation).output;
      expect(relativeError(out.output.data, expected)).toBeLessThan(TOLERANCE);
      // and differs from ReLU's, so the activation really was exported
      expect(relativeError(out.output.data, tfjsForward(net, x, 32).output)).toBeGreaterThan(1e-3);
    } finally {
      net.dispose();
    }
  });

  it("ResNet-18 (narrow, 8×8×3, stride-2 stages, projection shortcuts, batch-norm statistics) matches tfjs", async () => {
    const net = resnet18({ inputShape: [8, 6, 3], width: 4, classes: 5, blocks: [1, 2, 1, 1], seed: 1 });
    try {
      randomise(net, 20);
      const n = 3;
      const x = uniformValues(7, n * net.inputSize);
      const expected = tfjsForward(net, x, n);
      const last = net.layerSizes.length;
      const out = await runOnnx(withExtraOutputs(networkToOnnx(net), ["hidden1", `hidden${last}`]), x, [n, net.inputSize]);
      expect(relativeError(out.output.data, expected.output)).toBeLessThan(TOLERANCE);
      // hidden{l} is channels first: reorder to tfjs's H×W×C flattening to compare
      expect(relativeError(channelsLast(out.hidden1.data, out.hidden1.dims), expected.hidden[0])).toBeLessThan(TOLERANCE);
      expect(relativeError(channelsLast(out[`hidden${last}`].data, out[`hidden${last}`].dims), expected.hidden[last - 1])).toBeLessThan(TOLERANCE);
    } finally {
      net.dispose();
    }
  });

  it.each([6, 5])("1-D CNN (kernel %i, 'same' padding, broadcast skip) matches tfjs", async (kernel) => {
    const net = cnn1d({ length: 20, blocks: 3, channels: 4, kernel, outputs: 2, seed: 3 });
    try {
      randomise(net, 30);
      const n = 4;
      const x = uniformValues(9, n * 20);
      const expected = tfjsForward(net, x, n);
      const out = await runOnnx(withExtraOutputs(networkToOnnx(net), ["hidden2"]), x, [n, 20]);
      expect(relativeError(out.output.data, expected.output)).toBeLessThan(TOLERANCE);
      expect(relativeError(channelsLast(out.hidden2.data, out.hidden2.dims), expected.hidden[1])).toBeLessThan(TOLERANCE);
    } finally {
      net.dispose();
    }
  });

  it("throws typed errors for an unknown architecture, missing or misshapen weights and bad options", () => {
    const net = mlp({ sizes: [3, 4, 2], seed: 0 });
    try {
      expect(() => networkToOnnx({ ...net, architecture: "transformer" as "mlp" })).toThrow(/network\.architecture/);
      expect(() => networkToOnnx(null as never)).toThrow(InvalidArgumentError);
      const weights = new Map(net.weights);
      weights.delete("dense1/bias");
      expect(() => networkToOnnx({ ...net, weights })).toThrow(/network\.weights\["dense1\/bias"\]/);
      expect(() => networkToOnnx({ ...net, config: { sizes: [3, 5, 2] } })).toThrow(DimensionMismatchError);
      expect(() => networkToOnnx(net, { activation: { name: "softplus" } })).toThrow(/options\.activation/);
      expect(() => networkToOnnx(net, { inputName: "x", outputName: "x" })).toThrow(/options\.outputName/);
      const nan = new Map(net.weights);
      nan.set("dense0/bias", { shape: [4], dataSync: () => new Float32Array([0, Number.NaN, 0, 0]) } as never);
      expect(() => networkToOnnx({ ...net, weights: nan })).toThrow(/finite values, received NaN at index 1/);
    } finally {
      net.dispose();
    }
  });
});

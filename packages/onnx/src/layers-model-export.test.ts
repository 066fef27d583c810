import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import * as tfl from "@tensorflow/tfjs-layers";
import { DimensionMismatchError, InvalidArgumentError } from "@smoothhess/errors";
import { beforeAll, describe, expect, it } from "vitest";
import { relativeError, runOnnx, uniformValues } from "./export-test-support.js";
import { layersModelToOnnx, SUPPORTED_LAYERS } from "./layers-model-export.js";
import { UnsupportedLayerError } from "./unsupported-layer-error.js";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

// Float32 tolerance: tfjs and ONNX Runtime both compute in float32, in different orders; 2e-5 of the output scale.
const TOLERANCE = 2e-5;

/** Seeded weights everywhere (variances and scales positive), so a transposed kernel or a swapped statistic shows. */
function randomise(model: tfl.LayersModel, seed: number): void {
  const values = model.weights.map((w, i) => {
    const positive = /moving_variance|gamma/.test(w.originalName);
    return tf.tensor(uniformValues(seed + i, (w.shape as number[]).reduce((a, b) => a * b, 1), positive ? 0.5 : -0.6, positive ? 1.5 : 0.6), w.shape as number[]);
  });
  model.setWeights(values);
  tf.dispose(values);
}

/** `model.predict` against ONNX Runtime on the converted model, on `n` seeded inputs. */
async function compare(model: tfl.LayersModel, n: number, seed = 1): Promise<number> {
  const shape = (model.inputs[0].shape as number[]).slice(1);
  const x = uniformValues(seed, n * shape.reduce((a, b) => a * b, 1), -1.5, 1.5);
  const expectedTensor = model.predict(tf.tensor(x, [n, ...shape])) as tf.Tensor;
  const expected = Float64Array.from(expectedTensor.dataSync());
  const expectedShape = expectedTensor.shape;
  expectedTensor.dispose();
  const out = await runOnnx(layersModelToOnnx(model), x, [n, ...shape]);
  expect(out.output.dims).toEqual(expectedShape);
  return relativeError(out.output.data, expected);
}

describe("layersModelToOnnx", () => {
  it("Dense stack with every supported activation matches model.predict", async () => {
    const acts = ["relu", "tanh", "sigmoid", "softplus", "elu", "swish", "gelu", "linear"] as const;
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({ inputShape: [6], units: 9, activation: acts[0] }),
        ...acts.slice(1).map((activation, i) => tfl.layers.dense({ units: 7 + (i % 3), activation, useBias: i !== 2 })),
        tfl.layers.dense({ units: 4, activation: "softmax" }),
      ],
    });
    randomise(model, 1);
    expect(await compare(model, 16)).toBeLessThan(TOLERANCE);
    const logSoftmax = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [3], units: 4, activation: "logSoftmax" as "softmax" })] });
    randomise(logSoftmax, 2);
    expect(await compare(logSoftmax, 4)).toBeLessThan(TOLERANCE);
  });

  it("Conv2D (same, stride 2; valid, dilation 2), BatchNormalization, pooling (max, average with padding), Flatten, Dense", async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.conv2d({ inputShape: [12, 11, 2], filters: 4, kernelSize: 3, strides: 2, padding: "same", activation: "relu" }),
        tfl.layers.batchNormalization({ epsilon: 1e-3 }),
        tfl.layers.activation({ activation: "tanh" }),
        tfl.layers.conv2d({ filters: 3, kernelSize: [2, 3], dilationRate: 2, padding: "valid" }),
        tfl.layers.maxPooling2d({ poolSize: 2, padding: "same" }),
        tfl.layers.averagePooling2d({ poolSize: [1, 2], strides: 1, padding: "same" }),
        tfl.layers.flatten(),
        tfl.layers.dropout({ rate: 0.5 }),
        tfl.layers.dense({ units: 5, activation: "softmax" }),
      ],
    });
    randomise(model, 10);
    expect(await compare(model, 5)).toBeLessThan(TOLERANCE);
  });

  it("Conv1D ('same' with an even kernel, 'valid'), BatchNormalization, 1-D pooling and global max pooling", async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.conv1d({ inputShape: [20, 3], filters: 4, kernelSize: 4, padding: "same", activation: "elu" }),
        tfl.layers.batchNormalization({ scale: false }),
        tfl.layers.maxPooling1d({ poolSize: 3, strides: 2 }),
        tfl.layers.averagePooling1d({ poolSize: 2 }),
        tfl.layers.conv1d({ filters: 2, kernelSize: 3, useBias: false }),
        tfl.layers.globalMaxPooling1d(),
        tfl.layers.dense({ units: 2 }),
      ],
    });
    randomise(model, 20);
    expect(await compare(model, 4)).toBeLessThan(TOLERANCE);
  });

  it("functional residual model: Add across layouts, ReLU/LeakyReLU/ELU/Softmax layers, global average pooling, Dense on a rank-3 tensor", async () => {
    const input = tfl.input({ shape: [6, 5, 4] });
    const c1 = tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: "same" }).apply(input) as tfl.SymbolicTensor;
    const b1 = tfl.layers.batchNormalization().apply(c1) as tfl.SymbolicTensor;
    const r1 = tfl.layers.reLU().apply(b1) as tfl.SymbolicTensor;
    const c2 = tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: "same" }).apply(r1) as tfl.SymbolicTensor;
    const sum = tfl.layers.add().apply([input, c2, c1]) as tfl.SymbolicTensor; // input is channels last, c1/c2 channels first inside
    const leaky = tfl.layers.leakyReLU({ alpha: 0.2 }).apply(sum) as tfl.SymbolicTensor;
    const perPixel = tfl.layers.dense({ units: 3, activation: "elu" }).apply(leaky) as tfl.SymbolicTensor; // Dense on [6, 5, 4]
    const elu = tfl.layers.elu().apply(perPixel) as tfl.SymbolicTensor;
    const pooled = tfl.layers.globalAveragePooling2d({}).apply(elu) as tfl.SymbolicTensor;
    const out = tfl.layers.softmax().apply(tfl.layers.dense({ units: 3 }).apply(pooled) as tfl.SymbolicTensor) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: out });
    randomise(model, 30);
    expect(await compare(model, 3)).toBeLessThan(TOLERANCE);
  });

  it("a trained model (fit updates weights and batch-norm statistics) round-trips", async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.conv1d({ inputShape: [10, 1], filters: 3, kernelSize: 3, padding: "same", activation: "relu" }),
        tfl.layers.batchNormalization(),
        tfl.layers.globalAveragePooling1d({}),
        tfl.layers.dense({ units: 2, activation: "softmax" }),
      ],
    });
    model.compile({ optimizer: "adam", loss: "categoricalCrossentropy" });
    const n = 32;
    const xs = uniformValues(5, n * 10);
    const labels = Array.from({ length: n }, (_, i) => (xs[i * 10] > 0 ? 1 : 0));
    const x = tf.tensor(xs, [n, 10, 1]);
    const y = tf.oneHot(tf.tensor1d(labels, "int32"), 2);
    const before = (model.getLayer(model.layers[1].name).getWeights()[2].dataSync() as Float32Array).slice();
    await model.fit(x, y, { epochs: 3, batchSize: 8, verbose: 0 });
    tf.dispose([x, y]);
    const movingMean = model.layers[1].getWeights()[2].dataSync();
    expect(relativeError(movingMean, before)).toBeGreaterThan(0); // the statistics moved
    expect(await compare(model, 6)).toBeLessThan(TOLERANCE);
  });

  it("names the unsupported layer, activation or option and the supported set", () => {
    const rnn = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [4], units: 4 }), tfl.layers.reshape({ targetShape: [2, 2] }), tfl.layers.flatten()] });
    const error = (() => {
      try {
        layersModelToOnnx(rnn);
      } catch (e) {
        return e;
      }
    })() as UnsupportedLayerError;
    expect(error).toBeInstanceOf(UnsupportedLayerError);
    expect(error.layer).toBe(rnn.layers[1].name);
    expect(error.kind).toBe("Reshape");
    expect(error.supported).toEqual(SUPPORTED_LAYERS);
    expect(error.message).toContain("supported: InputLayer, Dense, Conv1D, Conv2D, BatchNormalization");

    const relu6 = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [4], units: 4, activation: "relu6" })] });
    expect(() => layersModelToOnnx(relu6)).toThrow(/Dense with activation relu6 is not supported \(supported: activation linear, activation relu/);
    const causal = tfl.sequential({ layers: [tfl.layers.conv1d({ inputShape: [8, 1], filters: 1, kernelSize: 2, padding: "causal" })] });
    expect(() => layersModelToOnnx(causal)).toThrow(UnsupportedLayerError);
    expect(() => layersModelToOnnx({} as never)).toThrow(InvalidArgumentError);

    const a = tfl.input({ shape: [2] }), b = tfl.input({ shape: [2] });
    const twoInputs = tfl.model({ inputs: [a, b], outputs: tfl.layers.add().apply([a, b]) as tfl.SymbolicTensor });
    expect(() => layersModelToOnnx(twoInputs)).toThrow(/one input and one output/);
  });

  it("checks the weights against the layer configuration", () => {
    const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [3], units: 2 })] });
    const name = model.layers[0].name;
    const wrong = { toJSON: model.toJSON.bind(model), getLayer: () => ({ getWeights: () => [tf.zeros([2, 3])] }) };
    expect(() => layersModelToOnnx(wrong)).toThrow(DimensionMismatchError);
    const misshapen = { toJSON: model.toJSON.bind(model), getLayer: () => ({ getWeights: () => [tf.zeros([2, 3]), tf.zeros([2])] }) };
    expect(() => layersModelToOnnx(misshapen)).toThrow(new RegExp(`model layer "${name}" weight 0: expected shape \\[3, 2\\], received shape \\[2, 3\\]`));
  });
});

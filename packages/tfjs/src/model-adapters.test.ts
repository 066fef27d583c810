import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import * as tfc from "@tensorflow/tfjs-converter";
import { DimensionMismatchError, InvalidArgumentError } from "@smoothhess/errors";
import { denseNetwork, networkOracle, type GradientOracle } from "@smoothhess/oracle";
import { smoothHess } from "@smoothhess/stein";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromFunction } from "./from-function.js";
import { fromGraphModel, graphDenseReluStack, type GraphModelLike } from "./from-graph-model.js";
import { denseReluStack, fromLayersModel } from "./from-layers-model.js";
import { mlpFromDenseKernels } from "./dense-stack.js";
import { OracleDisposedError } from "./tfjs-oracle.js";
import { randomPoints } from "./test-helpers.js";
import { UnsupportedModelError } from "./unsupported-model-error.js";

// One small ReLU network, 6-8-5-3, given as tfjs Dense kernels ([in, out]) and biases.
const SIZES = [6, 8, 5, 3];
const KERNELS = SIZES.slice(0, -1).map((n, l) => randomPoints(10 + l, 1, n * SIZES[l + 1], -0.9, 0.9));
const BIASES = SIZES.slice(1).map((n, l) => randomPoints(20 + l, 1, n, -0.3, 0.3));
const X0 = Float64Array.from(randomPoints(99, 1, 6, -1, 1));

/** The same weights as the float64 reference network (row-major outputs × inputs). */
function reference() {
  return denseNetwork(
    KERNELS.map((k, l) => {
      const [inputs, outputs] = [SIZES[l], SIZES[l + 1]];
      const w = new Float64Array(inputs * outputs);
      for (let i = 0; i < inputs; i++) for (let o = 0; o < outputs; o++) w[o * inputs + i] = k[i * outputs + o];
      return { weights: w, bias: BIASES[l] };
    }),
  );
}

function layersModel(extra: "none" | "relu-layers" | "flatten" = "none"): tfl.LayersModel {
  const layers: tfl.layers.Layer[] = [];
  const last = SIZES.length - 2;
  for (let l = 0; l <= last; l++) {
    const separate = extra === "relu-layers";
    const first = l === 0 ? { inputShape: extra === "flatten" ? undefined : [SIZES[0]] } : {};
    if (l === 0 && extra === "flatten") layers.push(tfl.layers.flatten({ inputShape: [2, 3] }));
    layers.push(tfl.layers.dense({ ...first, units: SIZES[l + 1], activation: l < last && !separate ? "relu" : "linear" }));
    if (l < last && separate) layers.push(l % 2 === 0 ? tfl.layers.reLU() : tfl.layers.activation({ activation: "relu" }));
    if (l === 0) layers.push(tfl.layers.dropout({ rate: 0.5 }));
  }
  const model = tfl.sequential({ layers });
  model.layers.filter((layer) => layer.getClassName() === "Dense").forEach((layer, l) => {
    layer.setWeights([tf.tensor2d(KERNELS[l], [SIZES[l], SIZES[l + 1]]), tf.tensor1d(BIASES[l])]);
  });
  return model;
}

type GraphVariant = "plain" | "fused" | "transposed";

/** A GraphModel of the same network from an in-memory GraphDef (what tensorflowjs_converter writes). */
async function graphModel(variant: GraphVariant = "plain"): Promise<tfc.GraphModel> {
  const f = { type: "DT_FLOAT" };
  const node: object[] = [
    { name: "x", op: "Placeholder", attr: { dtype: f, shape: { shape: { dim: [{ size: "-1" }, { size: String(SIZES[0]) }] } } } },
  ];
  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  const data: Float32Array[] = [];
  let h = "x";
  for (let l = 0; l + 1 < SIZES.length; l++) {
    const [inputs, outputs] = [SIZES[l], SIZES[l + 1]];
    let kernel = KERNELS[l];
    let shape = [inputs, outputs];
    if (variant === "transposed") {
      kernel = new Float32Array(inputs * outputs);
      for (let i = 0; i < inputs; i++) for (let o = 0; o < outputs; o++) kernel[o * inputs + i] = KERNELS[l][i * outputs + o];
      shape = [outputs, inputs];
    }
    for (const [name, values, s] of [[`w${l}`, kernel, shape], [`b${l}`, BIASES[l], [outputs]]] as const) {
      node.push({ name, op: "Const", attr: { dtype: f, value: { tensor: { dtype: "DT_FLOAT", tensorShape: { dim: s.map((size) => ({ size: String(size) })) } } } } });
      weightSpecs.push({ name, shape: [...s], dtype: "float32" });
      data.push(values);
    }
    const relu = l + 2 < SIZES.length;
    if (variant === "fused") {
      const ops = relu ? ["BiasAdd", "Relu"] : ["BiasAdd"];
      node.push({ name: `fused${l}`, op: "_FusedMatMul", input: [h, `w${l}`, `b${l}`], attr: { T: f, fused_ops: { list: { s: ops.map((o) => btoa(o)) } }, num_args: { i: "1" }, transpose_a: { b: false }, transpose_b: { b: false } } });
      h = `fused${l}`;
    } else {
      node.push({ name: `mm${l}`, op: "MatMul", input: [h, `w${l}`], attr: { T: f, transpose_a: { b: false }, transpose_b: { b: variant === "transposed" } } });
      node.push({ name: `add${l}`, op: "BiasAdd", input: [`mm${l}`, `b${l}`], attr: { T: f } });
      h = `add${l}`;
      if (relu) {
        node.push({ name: `relu${l}`, op: "Relu", input: [h], attr: { T: f } });
        h = `relu${l}`;
      }
    }
  }
  node.push({ name: "logits", op: "Identity", input: [h], attr: { T: f } });
  const bytes = new Float32Array(data.reduce((a, d) => a + d.length, 0));
  let offset = 0;
  for (const d of data) {
    bytes.set(d, offset);
    offset += d.length;
  }
  return tfc.loadGraphModel(tf.io.fromMemory({ modelTopology: { node, versions: { producer: 1 } }, weightSpecs, weightData: bytes.buffer, format: "graph-model" }));
}

/** The same network as a plain function of tensors. */
function asFunction(): (x: tf.Tensor) => tf.Tensor {
  const kernels = KERNELS.map((k, l) => tf.tensor2d(k, [SIZES[l], SIZES[l + 1]]));
  const biases = BIASES.map((b) => tf.tensor1d(b));
  return (x) => {
    let h = x;
    kernels.forEach((k, l) => {
      h = tf.add(tf.matMul(h, k), biases[l]);
      if (l + 1 < kernels.length) h = tf.relu(h);
    });
    return h;
  };
}

const SIGMA = 0.3;
const SAMPLES = 2000;
async function hessianOf(oracle: GradientOracle) {
  return smoothHess(oracle, X0, { covariance: { sigma: SIGMA }, samples: SAMPLES, seed: 7 });
}

/** max |a − b| / max |b|. */
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

describe("model adapters give the same SmoothHess as the float64 reference (same seed)", () => {
  let expected: Awaited<ReturnType<typeof hessianOf>>;
  beforeAll(async () => {
    expected = await hessianOf(networkOracle(reference(), { output: 1 }));
    // the estimate is not trivially zero
    expect(Math.max(...expected.hessian.map(Math.abs))).toBeGreaterThan(1e-3);
  });

  const cases: [string, () => Promise<import("./model-oracle.js").ModelOracle>, "fast" | "autograd"][] = [
    ["LayersModel (fast)", async () => fromLayersModel(layersModel(), { output: 1 }), "fast"],
    ["LayersModel with ReLU / Activation layers (fast)", async () => fromLayersModel(layersModel("relu-layers"), { output: 1 }), "fast"],
    ["LayersModel (autograd)", async () => fromLayersModel(layersModel(), { output: 1 }, { engine: "autograd" }), "autograd"],
    ["GraphModel MatMul + BiasAdd + Relu (fast)", async () => fromGraphModel(await graphModel(), { output: 1 }), "fast"],
    ["GraphModel _FusedMatMul (fast)", async () => fromGraphModel(await graphModel("fused"), { output: 1 }), "fast"],
    ["GraphModel transpose_b (fast)", async () => fromGraphModel(await graphModel("transposed"), { output: 1 }), "fast"],
    ["GraphModel (autograd)", async () => fromGraphModel(await graphModel(), { output: 1 }, { engine: "autograd" }), "autograd"],
    ["function (autograd)", async () => fromFunction(asFunction(), { output: 1 }, { inputShape: [6] }), "autograd"],
  ];
  for (const [name, make, engine] of cases) {
    it(name, async () => {
      const oracle = await make();
      expect(oracle.engine).toBe(engine);
      expect(oracle.dim).toBe(6);
      expect(oracle.outputSize).toBe(3);
      const actual = await hessianOf(oracle);
      await oracle.dispose();
      // float32 gradients vs float64: agreement to float32 rounding of the accumulated terms
      expect(relativeError(actual.hessian, expected.hessian)).toBeLessThan(1e-4);
      expect(relativeError(actual.gradient, expected.gradient)).toBeLessThan(1e-5);
    });
  }

  it("a LayersModel with a Flatten input keeps its input shape and converts", async () => {
    const oracle = fromLayersModel(layersModel("flatten"), { output: 1 });
    expect(oracle.engine).toBe("fast");
    expect(oracle.inputShape).toEqual([2, 3]);
    const actual = await hessianOf(oracle);
    await oracle.dispose();
    expect(relativeError(actual.hessian, expected.hessian)).toBeLessThan(1e-4);
  });
});

describe("targets", () => {
  it("softmax, cross-entropy and predicted-class targets agree between the fast path, autograd and the reference", async () => {
    const points = randomPoints(5, 16, 6);
    const ref = reference();
    const predicted = ref.forward(X0)[ref.layers.length - 1];
    const k = predicted.indexOf(Math.max(...predicted));
    for (const [target, refTarget] of [
      [{ softmax: 2 }, { softmax: 2 }],
      [{ crossEntropy: 0 }, { crossEntropy: 0 }],
      [{ output: "predicted", at: X0 }, { output: k }],
    ] as const) {
      const want = networkOracle(ref, refTarget).evaluate(Float64Array.from(points), 16);
      for (const engine of ["fast", "autograd"] as const) {
        const oracle = fromLayersModel(layersModel(), target, { engine });
        const got = await oracle.evaluate(points, 16);
        await oracle.dispose();
        expect(relativeError(got.values, want.values)).toBeLessThan(1e-5);
        expect(relativeError(got.gradients, want.gradients)).toBeLessThan(1e-5);
      }
    }
  });

  it("hidden-layer targets work on the fast path and are refused by autograd with a typed error", async () => {
    const fast = fromLayersModel(layersModel(), { layer: 2, unit: 3 });
    const want = networkOracle(reference(), { layer: 2, unit: 3 }).evaluate(Float64Array.from(X0), 1);
    const got = await fast.evaluate(Float32Array.from(X0), 1);
    await fast.dispose();
    expect(relativeError(got.gradients, want.gradients)).toBeLessThan(1e-5);
    expect(() => fromFunction(asFunction(), { layer: 1, unit: 0 }, { inputShape: [6] })).toThrow(UnsupportedModelError);
  });
});

describe("detection of Dense/ReLU stacks", () => {
  it("a softmax output, a conv layer or two Dense layers without ReLU run by autograd; engine fast says why not", async () => {
    const softmaxModel = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [4], units: 3, activation: "relu" }), tfl.layers.dense({ units: 2, activation: "softmax" })] });
    expect(denseReluStack(softmaxModel)).toEqual({ reason: expect.stringContaining('activation "softmax"') });
    expect(fromLayersModel(softmaxModel, { output: 0 }).engine).toBe("autograd");
    expect(() => fromLayersModel(softmaxModel, { output: 0 }, { engine: "fast" })).toThrow(/softmax/);
    const noRelu = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [4], units: 3 }), tfl.layers.dense({ units: 2 })] });
    expect(denseReluStack(noRelu)).toEqual({ reason: expect.stringContaining("without a ReLU") });
    const conv = tfl.sequential({ layers: [tfl.layers.conv2d({ inputShape: [4, 4, 1], filters: 2, kernelSize: 3 }), tfl.layers.flatten(), tfl.layers.dense({ units: 2 })] });
    expect(denseReluStack(conv)).toEqual({ reason: expect.stringContaining("Conv2D") });
    const oracle = fromLayersModel(conv, { output: 1 });
    expect(oracle.engine).toBe("autograd");
    expect(oracle.inputShape).toEqual([4, 4, 1]);
    const r = await oracle.evaluate(randomPoints(3, 2, 16), 2);
    expect(r.gradients).toHaveLength(32);
    await oracle.dispose();
    for (const m of [softmaxModel, noRelu, conv]) m.dispose();
  });

  it("a graph with another op runs by autograd", async () => {
    const g = await graphModel();
    const topology = (g as unknown as { artifacts: { modelTopology: { node: { op: string }[] } } }).artifacts.modelTopology;
    const changed = { ...g, inputs: g.inputs, outputs: g.outputs, weights: g.weights, execute: g.execute.bind(g), artifacts: { modelTopology: { node: topology.node.map((n) => (n.op === "Relu" ? { ...n, op: "Elu" } : n)) } } };
    expect(graphDenseReluStack(changed as unknown as GraphModelLike)).toEqual({ reason: expect.stringContaining("Elu") });
    g.dispose();
  });
});

describe("errors and resources", () => {
  it("a Dense kernel copied in [outputs, inputs] orientation is caught with a typed error naming the layer", () => {
    const right = KERNELS.map((k, l) => ({ kernel: tf.tensor2d(k, [SIZES[l], SIZES[l + 1]]), bias: tf.tensor1d(BIASES[l]) }));
    const wrong = right.map((layer, l) => (l === 1 ? { kernel: tf.transpose(layer.kernel), bias: layer.bias } : layer));
    expect(() => mlpFromDenseKernels(wrong)).toThrow(DimensionMismatchError);
    expect(() => mlpFromDenseKernels(wrong)).toThrow(/layers\[1\]\.kernel.*transposed/);
    // the first layer too, through the declared input shape
    const wrongFirst = right.map((layer, l) => (l === 0 ? { kernel: tf.transpose(layer.kernel), bias: layer.bias } : layer));
    expect(() => mlpFromDenseKernels(wrongFirst, [6])).toThrow(DimensionMismatchError);
    const net = mlpFromDenseKernels(right, [2, 3]);
    expect(net.inputShape).toEqual([2, 3]);
    net.dispose();
  });

  it("bad models, options and outputs are refused with typed errors", () => {
    expect(() => fromLayersModel({} as never, { output: 0 })).toThrow(InvalidArgumentError);
    expect(() => fromGraphModel(null as never, { output: 0 })).toThrow(InvalidArgumentError);
    expect(() => fromFunction(asFunction(), { output: 0 }, {} as never)).toThrow(/options\.inputShape/);
    expect(() => fromLayersModel(layersModel(), { output: 0 }, { engine: "gpu" as never })).toThrow(/options\.engine/);
    expect(() => fromLayersModel(layersModel(), { output: 3 })).toThrow(/target\.output/);
    expect(() => fromFunction(() => tf.zeros([2, 2]), { output: 0 }, { inputShape: [3] })).toThrow(DimensionMismatchError);
    expect(() => fromFunction((x) => [x] as never, { output: 0 }, { inputShape: [3] })).toThrow(UnsupportedModelError);
  });

  it("oracles leave no tensors behind and refuse calls after dispose", async () => {
    const model = layersModel();
    const g = await graphModel();
    const fn = asFunction();
    const before = tf.memory().numTensors;
    for (const make of [
      () => fromLayersModel(model, { softmax: 1 }),
      () => fromLayersModel(model, { softmax: 1 }, { engine: "autograd" }),
      () => fromGraphModel(g, { crossEntropy: 2 }),
      () => fromGraphModel(g, { crossEntropy: 2 }, { engine: "autograd" }),
      () => fromFunction(fn, { output: "predicted", at: X0 }, { inputShape: [6] }),
    ]) {
      const oracle = make();
      await oracle.evaluate(randomPoints(1, 300, 6), 300);
      await oracle.dispose();
      await expect(oracle.evaluate(randomPoints(1, 1, 6), 1)).rejects.toThrow(OracleDisposedError);
    }
    expect(tf.memory().numTensors).toBe(before);
    // a bad target after conversion frees the converted weights
    expect(() => fromLayersModel(model, { output: 9 })).toThrow(InvalidArgumentError);
    expect(tf.memory().numTensors).toBe(before);
  });
});

afterAll(() => {
  tf.disposeVariables();
});

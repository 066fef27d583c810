import { randomDenseNetwork, networkOracle } from "@smoothhess/oracle";
import { describe, expect, it } from "vitest";
import { DataType } from "./ir/graph.js";
import { decodeModel, encodeModel } from "./ir/proto-codec.js";
import { loadOnnxModel } from "./onnx-model.js";
import { onnxOracle } from "./onnx-oracle.js";
import { attr, denseNetworkGraph, graphBytes, node, pseudoRandom } from "./test-support.js";

const net = randomDenseNetwork([5, 7, 3], { seed: 12 });

describe("loadOnnxModel", () => {
  it("reads bytes as Uint8Array or ArrayBuffer and reports shapes, dim and hidden tensors", async () => {
    const bytes = denseNetworkGraph(net);
    const fromBuffer = await loadOnnxModel(new Uint8Array(bytes).buffer); // a copy: a Buffer may be a view of a shared pool
    expect(fromBuffer.inputShape).toEqual([-1, 5]);
    expect(fromBuffer.outputShape).toEqual([-1, 3]);
    expect([fromBuffer.dim, fromBuffer.outputSize, fromBuffer.fixedBatch]).toEqual([5, 3, undefined]);
    expect(fromBuffer.hiddenTensors).toEqual(["z0"]);
    expect(fromBuffer.precision).toBe("float32");
  });

  it("a model whose batch is fixed in the file runs any number of rows, one fixed batch at a time", async () => {
    const graph = decodeModel(denseNetworkGraph(net), "test");
    const fixed = encodeModel({ ...graph, inputs: [{ ...graph.inputs[0], shape: [1, 5] }] });
    const model = await loadOnnxModel(fixed);
    expect(model.fixedBatch).toBe(1);
    const oracle = await onnxOracle(model, { target: { softmax: 2 }, threads: 1 });
    expect(oracle.maxBatchSize).toBe(1);
    const points = pseudoRandom(3 * 5, 3);
    const got = await oracle.evaluate(Float32Array.from(points), 3);
    await oracle.dispose();
    const want = networkOracle(net, { softmax: 2 }).evaluate(Float64Array.from(Float32Array.from(points)), 3);
    for (let i = 0; i < 15; i++) expect(got.gradients[i]).toBeCloseTo(want.gradients[i], 5);
  });

  it("options.inputShape fixes free non-batch axes; options.input and options.output choose among several", async () => {
    const free = encodeModel({
      nodes: [node("Relu", ["x"], ["r"]), node("ReduceSum", ["r", "axes"], ["y"], { keepdims: attr.int(0) }), node("Neg", ["r"], ["other"])],
      inputs: [{ name: "x", dataType: DataType.FLOAT, shape: ["n", "c", "w"] }],
      outputs: [{ name: "other", dataType: DataType.FLOAT }, { name: "y", dataType: DataType.FLOAT }],
      initializers: new Map([["axes", { dataType: DataType.INT64, dims: [1], data: BigInt64Array.of(2n) }]]),
      opset: 17,
    });
    await expect(loadOnnxModel(free)).rejects.toThrow(/options\.inputShape/);
    const model = await loadOnnxModel(free, { inputShape: [-1, 2, 3], output: "y", input: "x" });
    expect(model.outputName).toBe("y");
    expect(model.outputShape).toEqual([-1, 2]);
    expect(model.dim).toBe(6);
  });

  it("float64 models compute and answer in float64", async () => {
    const model = await loadOnnxModel(graphBytes({ nodes: [node("Tanh", ["x"], ["y"])], inputShape: [2], precision: "float64" }));
    expect(model.precision).toBe("float64");
    const oracle = await onnxOracle(model, { target: { output: 1 }, threads: 1 });
    const { values, gradients } = await oracle.evaluate(Float64Array.of(0.1, 0.3), 1);
    await oracle.dispose();
    expect(gradients).toBeInstanceOf(Float64Array);
    expect(values[0]).toBeCloseTo(Math.tanh(0.3), 15);
    expect(gradients[1]).toBeCloseTo(1 - Math.tanh(0.3) ** 2, 15);
    expect(gradients[0]).toBe(0);
  });
});

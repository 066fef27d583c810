import { DimensionMismatchError, DisposedError } from "@smoothhess/errors";
import { randomDenseNetwork } from "@smoothhess/oracle";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DataType } from "./ir/graph.js";
import { encodeModel } from "./ir/proto-codec.js";
import { OnnxModelError } from "./onnx-model-error.js";
import { loadOnnxModel } from "./onnx-model.js";
import { onnxOracle } from "./onnx-oracle.js";
import { attr, denseNetworkGraph, graphBytes, node } from "./test-support.js";
import { UnsupportedOpError } from "./unsupported-op-error.js";

describe("typed errors at load time", () => {
  it("a file that is not ONNX, and a missing file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "onnx-errors-"));
    const text = join(dir, "model.onnx");
    writeFileSync(text, "this is not a protobuf, just text that happens to be called .onnx\n");
    await expect(loadOnnxModel(text)).rejects.toThrow(OnnxModelError);
    await expect(loadOnnxModel(text)).rejects.toThrow(/not an ONNX model/);
    await expect(loadOnnxModel(new Uint8Array([1, 2, 3, 4, 5]))).rejects.toThrow(OnnxModelError);
    await expect(loadOnnxModel(new Uint8Array(0))).rejects.toThrow(/not an ONNX model/);
    await expect(loadOnnxModel(join(dir, "missing.onnx"))).rejects.toThrow(/cannot read the file/);
    await expect(loadOnnxModel(42 as unknown as Uint8Array)).rejects.toThrow(/source/);
  });

  it("a graph with more than one input when none is named", async () => {
    const bytes = encodeModel({
      nodes: [node("Add", ["a", "b"], ["y"])],
      inputs: [
        { name: "a", dataType: DataType.FLOAT, shape: ["n", 3] },
        { name: "b", dataType: DataType.FLOAT, shape: ["n", 3] },
      ],
      outputs: [{ name: "y", dataType: DataType.FLOAT }],
      initializers: new Map(),
      opset: 17,
    });
    const error = await loadOnnxModel(bytes).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OnnxModelError);
    expect(String(error)).toMatch(/2 inputs \("a", "b"\); name the one/);
    await expect(loadOnnxModel(bytes, { input: "c" })).rejects.toThrow(/no graph input named "c"/);
  });

  it("an unsupported operator names the node, its type and the supported set", async () => {
    const bytes = graphBytes({ nodes: [node("Relu", ["x"], ["r"]), node("Sin", ["r"], ["y"])], inputShape: [3] });
    const error = (await loadOnnxModel(bytes).catch((e: unknown) => e)) as UnsupportedOpError;
    expect(error).toBeInstanceOf(UnsupportedOpError);
    expect(error.node).toBe("Sin:y");
    expect(error.opType).toBe("Sin");
    expect(error.supported).toContain("Conv");
    expect(error.message).toMatch(/node "Sin:y" \(Sin\).*supported operators: .*Gemm/);
  });

  it("an unsupported attribute of a supported operator is reported at load time", async () => {
    const bytes = graphBytes({
      nodes: [node("AveragePool", ["x"], ["y"], { kernel_shape: attr.ints([2]), ceil_mode: attr.int(1) })],
      inputShape: [1, 5],
    });
    await expect(loadOnnxModel(bytes)).rejects.toThrow(/AveragePool.*ceil_mode/);
  });

  it("an opset below 13 and an unknown output", async () => {
    const net = randomDenseNetwork([3, 2]);
    await expect(loadOnnxModel(graphBytes({ nodes: [node("Relu", ["x"], ["y"])], inputShape: [3], opset: 11 }))).rejects.toThrow(/opset 11/);
    await expect(loadOnnxModel(denseNetworkGraph(net), { output: "logits" })).rejects.toThrow(/no graph output named "logits"/);
  });
});

describe("typed errors at run time", () => {
  it("input of the wrong shape", async () => {
    const model = await loadOnnxModel(denseNetworkGraph(randomDenseNetwork([3, 4, 2])));
    const oracle = await onnxOracle(model, { threads: 1 });
    await expect(oracle.evaluate(new Float32Array(5), 2)).rejects.toThrow(DimensionMismatchError);
    await expect(oracle.evaluate(new Float32Array(5), 2)).rejects.toThrow(/points: expected 2 × 3 = 6 numbers/);
    await expect(oracle.evaluate(new Float32Array(6), 1.5)).rejects.toThrow(/n:/);
    await oracle.dispose();
    await expect(oracle.evaluate(new Float32Array(6), 2)).rejects.toThrow(DisposedError);
    await expect(oracle.evaluate(new Float32Array(6), 2)).rejects.toThrow(/^this ONNX oracle was used after dispose\(\); create a new one with onnxOracle\(\)$/);
  });
});

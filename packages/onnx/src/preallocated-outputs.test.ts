import * as ortWeb from "onnxruntime-web";
import { describe, expect, it } from "vitest";
import { OnnxGraphWriter } from "./onnx-graph-writer.js";
import { onnxOuterProductKernel } from "./outer-product-kernel.js";
import { copyingPreallocatedOutputs, fillsPreallocatedOutputs } from "./preallocated-outputs.js";
import { defaultRuntime, type OnnxRuntime } from "./runtime.js";

const web = ((ortWeb as { default?: OnnxRuntime }).default ?? ortWeb) as OnnxRuntime;

function doubling(): Uint8Array {
  const graph = new OnnxGraphWriter("doubling");
  const x = graph.input("x", ["n"]);
  graph.node("Add", [x, x], ["y"]);
  graph.output("y", ["n"]);
  return graph.encode("preallocated-outputs test");
}

describe("pre-allocated outputs", () => {
  it("the probe: onnxruntime-node fills them, onnxruntime-web 1.30 does not (microsoft/onnxruntime#25786)", async () => {
    expect(await fillsPreallocatedOutputs(await defaultRuntime())).toBe(true);
    expect(await fillsPreallocatedOutputs(web)).toBe(false);
  });

  it("copyingPreallocatedOutputs fills the caller's tensor with the result, and passes other calls through", async () => {
    const session = copyingPreallocatedOutputs(await web.InferenceSession.create(doubling()));
    try {
      const x = new web.Tensor("float32", Float32Array.of(1, 2, 3), [3]);
      const target = new web.Tensor("float32", new Float32Array(3), [3]);
      const filled = await session.run({ x }, { y: target });
      expect(filled.y).toBe(target);
      expect(Array.from(target.data as Float32Array)).toEqual([2, 4, 6]);
      const plain = await session.run({ x });
      expect(Array.from(plain.y.data as Float32Array)).toEqual([2, 4, 6]);
      const wrong = new web.Tensor("float32", new Float32Array(2), [2]);
      await expect(session.run({ x }, { y: wrong })).rejects.toThrow('output "y" has shape [3] but the tensor given for it [2]');
      expect(session.inputNames).toEqual(["x"]);
    } finally {
      await session.release();
    }
  });

  it("the outer-product kernel (which pre-allocates its output) is right on onnxruntime-web", async () => {
    const kernel = await onnxOuterProductKernel({ runtime: web, threads: 1 });
    try {
      const out = Float64Array.of(10, 0, 0, 0);
      await kernel.addTransposedProduct(out, [1, 2, 3, 4], [1, 0, 0, 1], 2, 2, 2);
      await kernel.addTransposedProduct(out, [1, 2, 3, 4], [1, 0, 0, 1], 2, 2, 2);
      // Aᵀ B = [[1, 3], [2, 4]], added twice to the accumulator
      expect(Array.from(out)).toEqual([12, 6, 4, 8]);
    } finally {
      await kernel.dispose();
    }
  });
});

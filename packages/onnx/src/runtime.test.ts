import type { InferenceSession } from "onnxruntime-common";
import { describe, expect, it } from "vitest";
import { randomDenseNetwork } from "@smoothhess/oracle";
import { loadOnnxModel } from "./onnx-model.js";
import { onnxOracle } from "./onnx-oracle.js";
import { onnxOuterProductKernel } from "./outer-product-kernel.js";
import { denseNetworkGraph } from "./test-support.js";
import { createSession, defaultRuntime, type OnnxRuntime } from "./runtime.js";
import { OnnxGraphWriter } from "./onnx-graph-writer.js";

/** onnxruntime-node with `InferenceSession.create` recording the options it is given. */
async function recordingRuntime(): Promise<{ runtime: OnnxRuntime; seen: InferenceSession.SessionOptions[] }> {
  const ort = await defaultRuntime();
  const seen: InferenceSession.SessionOptions[] = [];
  const runtime: OnnxRuntime = {
    Tensor: ort.Tensor,
    InferenceSession: {
      create: (model, options) => {
        // the one options-less session is the binding probe of preallocated-outputs.ts, not one of the package's
        if (options !== undefined) seen.push(options);
        return ort.InferenceSession.create(model, options);
      },
    },
  };
  return { runtime, seen };
}

function identityModel(): Uint8Array {
  const graph = new OnnxGraphWriter("identity");
  const x = graph.input("x", ["n"]);
  graph.node("Identity", [x], ["y"]);
  graph.output("y", ["n"]);
  return graph.encode("runtime test");
}

const spinning = (options: InferenceSession.SessionOptions) =>
  ((options.extra as { session?: { intra_op?: { allow_spinning?: string } } } | undefined)?.session?.intra_op?.allow_spinning);

describe("createSession: intra-op spinning", () => {
  it("is off by default and on with spinning: true, and ONNX Runtime accepts both", async () => {
    const { runtime, seen } = await recordingRuntime();
    for (const settings of [{ threads: 2 }, { threads: 2, spinning: true }, { threads: 2, spinning: false }]) {
      const owned = await createSession(runtime, identityModel(), settings);
      const out = await owned.session.run({ x: new runtime.Tensor("float32", Float32Array.of(1, 2, 3), [3]) });
      expect(Array.from(out.y.data as Float32Array)).toEqual([1, 2, 3]);
      await owned.release();
    }
    expect(seen.map(spinning)).toEqual(["0", "1", "0"]);
    expect(seen.every((o) => o.intraOpNumThreads === 2)).toBe(true);
  });

  it("reaches the outer-product kernel's session through its options", async () => {
    const { runtime, seen } = await recordingRuntime();
    for (const options of [{}, { spinning: true }]) {
      const kernel = await onnxOuterProductKernel({ runtime, threads: 2, ...options });
      const out = new Float64Array(4);
      await kernel.addTransposedProduct(out, [1, 2, 3, 4], [1, 0, 0, 1], 2, 2, 2);
      expect(Array.from(out)).toEqual([1, 3, 2, 4]);
      await kernel.dispose();
    }
    expect(seen.map(spinning)).toEqual(["0", "1"]);
  });

  it("reaches the gradient oracle's session through its options", async () => {
    const { runtime, seen } = await recordingRuntime();
    const model = await loadOnnxModel(denseNetworkGraph(randomDenseNetwork([3, 4, 2], { seed: 1 })), { runtime });
    const before = seen.length;
    for (const options of [{}, { spinning: true }]) {
      const oracle = await onnxOracle(model, { threads: 2, ...options });
      const { gradients } = await oracle.evaluate(Float64Array.of(0.1, 0.2, 0.3), 1);
      expect(gradients).toHaveLength(3);
      await oracle.dispose();
    }
    expect(seen.slice(before).map(spinning)).toEqual(["0", "1"]);
  });
});

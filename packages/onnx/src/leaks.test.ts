import { randomDenseNetwork } from "@smoothhess/oracle";
import { describe, expect, it } from "vitest";
import { loadOnnxModel, runForward } from "./onnx-model.js";
import { onnxOracle } from "./onnx-oracle.js";
import { liveSessionCount } from "./runtime.js";
import { denseNetworkGraph, pseudoRandom } from "./test-support.js";

describe("no leaked sessions or tensors", () => {
  it("1,000 evaluate calls and 50 oracles created and disposed leave no session alive and bounded memory", async () => {
    const model = await loadOnnxModel(denseNetworkGraph(randomDenseNetwork([256, 64, 10], { seed: 2 })));
    expect(liveSessionCount()).toBe(0); // the load's shape probe released its session
    const rows = 256;
    const points = Float32Array.from(pseudoRandom(256 * rows, 5));
    const oracle = await onnxOracle(model, { threads: 1 });
    expect(liveSessionCount()).toBe(1);
    const first = await oracle.evaluate(points, rows);
    for (let i = 0; i < 100; i++) await oracle.evaluate(points, rows);
    const baseline = process.memoryUsage().rss;
    for (let i = 0; i < 1000; i++) {
      const { values } = await oracle.evaluate(points, rows);
      if (i % 250 === 0) expect(values).toEqual(first.values); // same input, same numbers
    }
    const growth = process.memoryUsage().rss - baseline;
    await oracle.dispose();
    await oracle.dispose(); // idempotent
    expect(liveSessionCount()).toBe(0);
    // Each call returns 256 KB of gradients (and ONNX Runtime allocates as much again): a leak of the runs'
    // tensors or outputs would keep ≥ 256 MB after 1,000 calls.
    expect(growth).toBeLessThan(96 * 1024 * 1024);
    for (let i = 0; i < 50; i++) {
      const o = await onnxOracle(model, { threads: 1, target: { softmax: i % 10 } });
      await o.evaluate(points, rows);
      await o.dispose();
    }
    await runForward(model, points, rows);
    expect(liveSessionCount()).toBe(0);
  });
});

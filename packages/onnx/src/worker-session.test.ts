import { randomDenseNetwork } from "@smoothhess/oracle";
import { gaussianSampler } from "@smoothhess/random";
import * as ortWeb from "onnxruntime-web";
import { describe, expect, it } from "vitest";
import { loadOnnxModel } from "./onnx-model.js";
import { onnxOracle } from "./onnx-oracle.js";
import { KernelDisposedError, onnxOuterProductKernel } from "./outer-product-kernel.js";
import type { OnnxRuntime } from "./runtime.js";
import { denseNetworkGraph, pseudoRandom } from "./test-support.js";
import { createWorkerSession, liveWorkerSessionCount, WorkerSessionError } from "./worker-session.js";

function sameBits(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

describe("workerThread: the session on a worker thread", () => {
  it("the oracle gives the same bits as on the calling thread, for one run and for requests split into runs", async () => {
    const model = await loadOnnxModel(denseNetworkGraph(randomDenseNetwork([12, 16, 8, 3], { seed: 4 })));
    const here = await onnxOracle(model, { threads: 1, batchSize: 64, target: { output: 1 } });
    const there = await onnxOracle(model, { threads: 1, batchSize: 64, target: { output: 1 }, workerThread: true });
    expect(liveWorkerSessionCount()).toBe(1);
    try {
      for (const n of [1, 64, 150]) {
        const points = Float64Array.from(pseudoRandom(12 * n, n));
        const a = await here.evaluate(points, n);
        const b = await there.evaluate(points, n);
        expect(sameBits(b.values, a.values)).toBe(true);
        expect(sameBits(b.gradients, a.gradients)).toBe(true);
        expect(b.gradients).toBeInstanceOf(Float32Array);
        expect(Array.from(points)).toEqual(pseudoRandom(12 * n, n)); // the caller's points are untouched
      }
      // Requests in flight together come back in order, each with its own numbers.
      const batches = [3, 70, 5].map((n) => Float32Array.from(pseudoRandom(12 * n, 100 + n)));
      const together = await Promise.all(batches.map((p) => there.evaluate(p, p.length / 12)));
      for (const [i, p] of batches.entries()) expect(sameBits(together[i].gradients, (await here.evaluate(p, p.length / 12)).gradients)).toBe(true);
    } finally {
      await here.dispose();
      await there.dispose();
      await there.dispose(); // idempotent
    }
    expect(liveWorkerSessionCount()).toBe(0);
    await expect(there.evaluate(new Float32Array(12), 1)).rejects.toThrowError(/after dispose/);
  });

  it("the kernel gives the same bits as on the calling thread, across blocks, and refuses use after dispose", async () => {
    const m = 300, p = 9, q = 7;
    const rng = gaussianSampler(3);
    const a = rng.fillNormal(new Float64Array(m * p)), b = rng.fillNormal(new Float64Array(m * q));
    const here = await onnxOuterProductKernel({ threads: 1, blockRows: 128 });
    const there = await onnxOuterProductKernel({ threads: 1, blockRows: 128, workerThread: true });
    try {
      expect(there.name).toBe("onnx-cpu-float32-worker");
      const start = Float64Array.from({ length: p * q }, (_, k) => k / 7);
      const expected = start.slice(), out = start.slice();
      await here.addTransposedProduct(expected, a, b, m, p, q);
      await there.addTransposedProduct(out, a, b, m, p, q);
      expect(sameBits(out, expected)).toBe(true);
      expect(out.some((v, k) => v !== start[k])).toBe(true);
      // It copies every block's operands when called (copiesOperandsOnCall): changing them afterwards changes nothing.
      expect(there.copiesOperandsOnCall).toBe(true);
      const again = start.slice();
      const pending = there.addTransposedProduct(again, a, b, m, p, q);
      const [savedA, savedB] = [a.slice(), b.slice()];
      a.fill(7);
      b.fill(-3);
      await pending;
      a.set(savedA);
      b.set(savedB);
      expect(sameBits(again, expected)).toBe(true);
    } finally {
      await here.dispose();
      await there.dispose();
    }
    expect(liveWorkerSessionCount()).toBe(0);
    await expect(there.addTransposedProduct(new Float64Array(1), [1], [1], 1, 1, 1)).rejects.toThrowError(KernelDisposedError);
  });

  it("1,000 calls on a worker oracle and kernel keep memory bounded, and dispose ends their threads", async () => {
    const model = await loadOnnxModel(denseNetworkGraph(randomDenseNetwork([256, 64, 10], { seed: 2 })));
    const rows = 256;
    const points = Float32Array.from(pseudoRandom(256 * rows, 5));
    const oracle = await onnxOracle(model, { threads: 1, workerThread: true });
    const kernel = await onnxOuterProductKernel({ threads: 1, workerThread: true });
    expect(liveWorkerSessionCount()).toBe(2);
    const first = await oracle.evaluate(points, rows);
    const out = new Float64Array(64 * 64), a = new Float64Array(rows * 64).fill(0.5);
    for (let i = 0; i < 100; i++) await Promise.all([oracle.evaluate(points, rows), kernel.addTransposedProduct(out, a, a, rows, 64, 64)]);
    const baseline = process.memoryUsage().rss;
    for (let i = 0; i < 1000; i++) {
      const [{ values }] = await Promise.all([oracle.evaluate(points, rows), kernel.addTransposedProduct(out, a, a, rows, 64, 64)]);
      if (i % 250 === 0) expect(values).toEqual(first.values);
    }
    // Each call moves 256 KB of points and gradients and 48 KB of operands: kept, 1,000 calls would hold ≥ 300 MB.
    expect(process.memoryUsage().rss - baseline).toBeLessThan(96 * 1024 * 1024);
    expect(out[0]).toBe(1100 * rows * 0.25); // every product was added, once
    await Promise.all([oracle.dispose(), kernel.dispose()]);
    expect(liveWorkerSessionCount()).toBe(0);
  });

  it("is refused with a typed error for a runtime other than onnxruntime-node", async () => {
    const web = ortWeb as unknown as OnnxRuntime;
    await expect(onnxOuterProductKernel({ threads: 1, runtime: web, workerThread: true })).rejects.toThrowError(/options\.workerThread: expected true only with the default runtime/);
    const model = await loadOnnxModel(denseNetworkGraph(randomDenseNetwork([3, 2], { seed: 1 })), { runtime: web });
    await expect(onnxOracle(model, { threads: 1, workerThread: true })).rejects.toThrowError(/options\.workerThread/);
    expect(liveWorkerSessionCount()).toBe(0);
  });

  it("reports a model ONNX Runtime refuses, and a failing run, as WorkerSessionError and ends the thread", async () => {
    await expect(createWorkerSession(new Uint8Array([1, 2, 3]), { threads: 1 })).rejects.toThrowError(WorkerSessionError);
    expect(liveWorkerSessionCount()).toBe(0);
    const model = denseNetworkGraph(randomDenseNetwork([3, 2], { seed: 1 }));
    const session = await createWorkerSession(model, { threads: 1 });
    try {
      // A batch of the wrong width: ONNX Runtime's own error comes back, and the session stays usable.
      await expect(session.run({ x: { type: "float32", data: new Float32Array(4), dims: [1, 4] } }, { y: null })).rejects.toThrowError(WorkerSessionError);
      // A right one: the output, written into the buffer sent along, and the feed's buffer come back.
      const x = new Float32Array([0.5, -1, 2]), y = new Float32Array(2);
      const { outputs, inputs } = await session.run({ x: { type: "float32", data: x, dims: [1, 3] } }, { y: { type: "float32", data: y, dims: [1, 2] } });
      expect(x.length).toBe(0); // transferred
      expect(Array.from(inputs.x.data)).toEqual([0.5, -1, 2]);
      expect(outputs.y.data.length).toBe(2);
      expect(outputs.y.data.some((v) => v !== 0)).toBe(true);
    } finally {
      await session.release();
    }
    expect(liveWorkerSessionCount()).toBe(0);
    await expect(session.run({}, {})).rejects.toThrowError(/released/);
  });
});

import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { useBackend } from "./backend.js";
import { tfjsOuterProductKernel } from "./outer-product-kernel.js";

beforeAll(async () => {
  await useBackend("wasm");
});

describe("tfjsOuterProductKernel", () => {
  it("adds Aᵀ B to a float64 accumulator to float32 accuracy, without leaking tensors", async () => {
    const m = 37, p = 11, q = 9;
    let state = 1;
    const next = () => ((state = (state * 48271) % 2147483647) / 2147483647) * 2 - 1;
    const a = Float64Array.from({ length: m * p }, next);
    const b = Float64Array.from({ length: m * q }, next);
    const out = Float64Array.from({ length: p * q }, (_, k) => k);
    const before = tf.memory().numTensors;
    const kernel = tfjsOuterProductKernel();
    await kernel.addTransposedProduct(out, a, b, m, p, q);
    expect(tf.memory().numTensors).toBe(before);
    expect(kernel.name).toBe("tfjs-wasm-float32");
    for (let r = 0; r < p; r++) {
      for (let c = 0; c < q; c++) {
        let s = 0, scale = 0;
        for (let u = 0; u < m; u++) {
          s += a[u * p + r] * b[u * q + c];
          scale += Math.abs(a[u * p + r] * b[u * q + c]);
        }
        expect(Math.abs(out[r * q + c] - (r * q + c) - s)).toBeLessThan(1e-6 * scale);
      }
    }
  });

  it("ignores rows past m and does nothing for m = 0", async () => {
    const out = new Float64Array(4);
    const kernel = tfjsOuterProductKernel();
    await kernel.addTransposedProduct(out, new Float64Array([1, 2, 99, 99]), new Float64Array([3, 4, 99, 99]), 1, 2, 2);
    expect(Array.from(out)).toEqual([3, 4, 6, 8]);
    await kernel.addTransposedProduct(out, new Float64Array(0), new Float64Array(0), 0, 2, 2);
    expect(Array.from(out)).toEqual([3, 4, 6, 8]);
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import { networkOracle, randomDenseNetwork } from "@smoothhess/oracle";
import { smoothHess } from "@smoothhess/stein";
import { useBackend } from "./backend.js";
import { tfjsOuterProductKernel } from "./outer-product-kernel.js";

beforeAll(async () => {
  await useBackend("wasm");
});

describe("smoothHess with tfjsOuterProductKernel", () => {
  it("is bit-identical across batch sizes 7, 64, 1024, 2048 (the estimator's blocks do not move with batchSize)", async () => {
    const oracle = networkOracle(randomDenseNetwork([12, 16, 1], { seed: 3, biasScale: 0.3 }));
    const x0 = Float64Array.from({ length: 12 }, (_, i) => Math.cos(i));
    const hessians = [];
    for (const batchSize of [7, 64, 1024, 2048]) {
      const result = await smoothHess(oracle, x0, { covariance: { sigma: 0.3 }, samples: 3_000, seed: 4, batchSize, kernel: tfjsOuterProductKernel() });
      hessians.push(Array.from(result.hessian));
    }
    for (const h of hessians.slice(1)) expect(h).toEqual(hessians[0]);
  });
});

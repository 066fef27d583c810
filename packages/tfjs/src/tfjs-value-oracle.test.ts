import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { InvalidArgumentError } from "@smoothhess/errors";
import { useBackend } from "./backend.js";
import { mlp } from "./mlp.js";
import type { Network } from "./network.js";
import { randomPoints } from "./test-helpers.js";
import { tfjsOracle } from "./tfjs-oracle.js";
import { tfjsValueOracle } from "./tfjs-value-oracle.js";

let net: Network;
beforeAll(async () => {
  await useBackend("wasm");
  net = mlp({ sizes: [5, 16, 16, 3], seed: 7 });
});

describe("tfjsValueOracle", () => {
  it.each([{ output: 2 }, { layer: 2, unit: 4 }, { softmax: 1 }] as const)("gives the gradient oracle's values for %j, in batches of any size", async (target) => {
    const n = 11;
    const points = Float64Array.from(randomPoints(3, n, 5));
    const gradientOracle = tfjsOracle(net, target, { engine: "autograd" });
    try {
      const expected = (await gradientOracle.evaluate(points, n)).values;
      for (const maxBatchSize of [1, 4, 1024]) {
        const f = tfjsValueOracle(net, target, maxBatchSize);
        expect(f.dim).toBe(5);
        const { values } = await f.evaluate(points, n);
        expect(values).toBeInstanceOf(Float64Array);
        for (let i = 0; i < n; i++) expect(values[i]).toBeCloseTo(expected[i], 6);
      }
    } finally {
      await gradientOracle.dispose();
    }
  });

  it("leaves no tensors behind", async () => {
    const f = tfjsValueOracle(net, { output: 0 }, 3);
    const before = tf.memory().numTensors;
    await f.evaluate(Float64Array.from(randomPoints(1, 8, 5)), 8);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("refuses a batch size below 1 and a target the network lacks, naming them", () => {
    expect(() => tfjsValueOracle(net, { output: 0 }, 0)).toThrow(/maxBatchSize/);
    expect(() => tfjsValueOracle(net, { output: 9 })).toThrow(InvalidArgumentError);
  });
});

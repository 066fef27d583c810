import { randomDenseNetwork } from "@smoothhess/oracle";
import { betaSweep, referenceSurrogates } from "@smoothhess/surrogates";
import { describe, expect, it } from "vitest";
import { loadOnnxModel } from "../onnx-model.js";
import { liveSessionCount } from "../runtime.js";
import { denseNetworkGraph, pseudoRandom } from "../test-support.js";
import { onnxSurrogates } from "./onnx-surrogates.js";

describe("the surrogates package's betaSweep runs unchanged on the engine", () => {
  it("equals the float64 reference sweep, and a longer sweep creates no further sessions (β is a graph input)", async () => {
    const net = randomDenseNetwork([6, 10, 8, 3], { seed: 9 });
    const x0 = pseudoRandom(6, 81);
    const network = await onnxSurrogates(await loadOnnxModel(denseNetworkGraph(net)), { threads: 1 });
    const reference = referenceSurrogates(net);
    const betas = [0.5, 1, 2, 5, 10, 20, 50];
    try {
      const start = liveSessionCount();
      let afterFirst = -1;
      const want = betaSweep(reference, x0, { softmax: 1 }, { betas, activation: "swish" });
      for await (const step of betaSweep(network, x0, { softmax: 1 }, { betas, activation: "swish" })) {
        if (afterFirst < 0) afterFirst = liveSessionCount();
        const expected = (await want.next()).value!;
        let diff = 0, norm = 0;
        for (let i = 0; i < expected.hessian.length; i++) {
          diff = Math.max(diff, Math.abs(step.hessian[i] - expected.hessian[i]));
          norm = Math.max(norm, Math.abs(expected.hessian[i]));
        }
        expect(diff).toBeLessThanOrEqual(1e-3 * norm);
        expect(step.value).toBeCloseTo(expected.value, 5);
      }
      expect(afterFirst).toBeGreaterThan(start);
      expect(liveSessionCount()).toBe(afterFirst);
    } finally {
      await network.dispose();
    }
  });
});

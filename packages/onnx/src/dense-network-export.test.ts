import { gelu, randomDenseNetwork, relu, softplus, swish, type Activation } from "@smoothhess/oracle";
import { describe, expect, it } from "vitest";
import { denseNetworkToOnnx } from "./dense-network-export.js";
import { relativeError, runOnnx, uniformValues, withExtraOutputs } from "./export-test-support.js";

// Float32 tolerance: the weights are rounded to float32 and ONNX Runtime sums in float32; 2e-5 of the scale.
const TOLERANCE = 2e-5;

describe("denseNetworkToOnnx", () => {
  it.each<[string, Activation]>([
    ["relu", relu],
    ["softplus(β = 4)", softplus(4)],
    ["swish(β = 2)", swish(2)],
    ["gelu", gelu()],
  ])("reproduces the float64 forward pass and pre-activations with %s", async (_, activation) => {
    const net = randomDenseNetwork([7, 20, 11, 4], { seed: 3 }).withActivation(activation);
    const n = 16;
    const x = uniformValues(1, n * 7, -2, 2);
    const logits = new Float64Array(n * 4), hidden2 = new Float64Array(n * 11);
    for (let i = 0; i < n; i++) {
      const pre = net.forward(x.subarray(i * 7, (i + 1) * 7));
      logits.set(pre[2], i * 4);
      hidden2.set(pre[1], i * 11);
    }
    const out = await runOnnx(withExtraOutputs(denseNetworkToOnnx(net), ["hidden2"]), x, [n, 7]);
    expect(out.output.dims).toEqual([n, 4]);
    expect(relativeError(out.output.data, logits)).toBeLessThan(TOLERANCE);
    expect(relativeError(out.hidden2.data, hidden2)).toBeLessThan(TOLERANCE);
  });

  it("takes an activation override and names its input and output as asked", async () => {
    const net = randomDenseNetwork([3, 5, 2], { seed: 1 });
    const x = uniformValues(2, 3, -1, 1);
    const expected = net.withActivation(softplus(2)).forward(x)[1];
    const out = await runOnnx(denseNetworkToOnnx(net, { activation: { name: "softplus", beta: 2 }, inputName: "x", outputName: "y" }), x, [1, 3], "x");
    expect(relativeError(out.y.data, expected)).toBeLessThan(TOLERANCE);
  });

  it("throws a typed error for something that is not a DenseNetwork", () => {
    expect(() => denseNetworkToOnnx({ layers: [] } as never)).toThrow(/^network: expected a DenseNetwork/);
  });
});

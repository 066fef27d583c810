import { InvalidArgumentError, SmoothHessError } from "@smoothhess/errors";
import { denseNetwork, gelu, randomDenseNetwork, softplus, swish } from "@smoothhess/oracle";
import { describe, expect, it } from "vitest";
import { NoReluError } from "./no-relu-error.js";
import { referenceSurrogates } from "./reference-surrogates.js";
import { normalVector } from "./test-support.js";

const relu = randomDenseNetwork([4, 6, 5, 3], { seed: 1 });

describe("referenceSurrogates", () => {
  it("gives the same weights with SoftPlus, Swish or GELU in place of every ReLU", () => {
    const net = referenceSurrogates(relu);
    const x = normalVector(3, 4);
    for (const [spec, act] of [
      [{ name: "softplus", beta: 7 }, softplus(7)],
      [{ name: "swish", beta: 2 }, swish(2)],
      [{ name: "gelu" }, gelu()],
    ] as const) {
      const model = net.surrogate(spec);
      const expected = relu.withActivation(act).forward(x).at(-1) as Float64Array;
      const { values } = model.oracle({ output: 2 }).evaluate(x, 1);
      expect(values[0]).toBe(expected[2]);
    }
    expect(net.dim).toBe(4);
    expect(net.outputDim).toBe(3);
    expect(net.hiddenSizes).toEqual([6, 5]);
  });

  it("accepts the Activation objects of @smoothhess/oracle as they are", () => {
    const net = referenceSurrogates(relu);
    expect(net.surrogate(softplus(3)).activation).toEqual({ name: "softplus", beta: 3 });
    expect(net.surrogate(gelu()).activation).toEqual({ name: "gelu" });
  });

  it("rejects β ≤ 0, a non-finite β and unknown activations with typed errors naming the field", () => {
    const net = referenceSurrogates(relu);
    for (const beta of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => net.surrogate({ name: "softplus", beta })).toThrowError(InvalidArgumentError);
      expect(() => net.surrogate({ name: "swish", beta })).toThrowError(/^activation\.beta: expected a finite number > 0/);
    }
    expect(() => net.surrogate({ name: "softplus", beta: -2 })).toThrowError("activation.beta: expected a finite number > 0, received -2");
    expect(() => net.surrogate({ name: "softplus" } as never)).toThrowError(/^activation\.beta: .* received undefined/);
    expect(() => net.surrogate({ name: "relu" } as never)).toThrowError(/^activation\.name: expected "softplus", "swish" or "gelu", received "relu"/);
    expect(() => net.surrogate({ name: "tanh" } as never)).toThrowError(/^activation\.name/);
    expect(() => net.surrogate(null as never)).toThrowError(/^activation: expected/);
  });

  it("refuses a network with no ReLU to replace", () => {
    const linear = denseNetwork([{ weights: [1, 2, 3, 4], bias: [0, 1] }]);
    let err: unknown;
    try {
      referenceSurrogates(linear);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NoReluError);
    expect(err).toBeInstanceOf(SmoothHessError);
    expect((err as NoReluError).code).toBe("no-relu");
    expect((err as NoReluError).argument).toBe("network");
    expect((err as Error).message).toBe(
      "network: expected a network with at least one hidden ReLU to replace, received a network with no hidden layer (a single affine map)",
    );
    expect(() => referenceSurrogates(relu.withActivation(softplus(4)))).toThrowError(
      "network: expected a network with at least one hidden ReLU to replace, received hidden activation softplus(β=4)",
    );
    expect(() => referenceSurrogates({} as never)).toThrowError(/^network: expected a DenseNetwork/);
  });
});

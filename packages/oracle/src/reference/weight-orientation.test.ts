import { DimensionMismatchError, InvalidArgumentError } from "@smoothhess/errors";
import { describe, expect, it } from "vitest";
import { denseNetwork } from "./dense-network.js";
import { WeightOrientationError } from "./weight-orientation-error.js";

// A 3-2-1 network. Layer 0 as PyTorch stores it ([outputs, inputs] = 2×3) and as tfjs stores it ([inputs, outputs]).
const W0 = [
  [1, -2, 0.5],
  [0.25, 3, -1],
];
const W0_TFJS = [
  [1, 0.25],
  [-2, 3],
  [0.5, -1],
];
const B0 = [0.1, -0.2];
const W1 = [[2, -1]];
const B1 = [0.3];

describe("denseNetwork checks the orientation of declared weight shapes", () => {
  it("rows in [outputs, inputs] orientation build the same network as the flat matrix", () => {
    const fromRows = denseNetwork([{ weights: W0, bias: B0 }, { weights: W1, bias: B1 }]);
    const fromFlat = denseNetwork([{ weights: W0.flat(), bias: B0, shape: [2, 3] }, { weights: W1.flat(), bias: B1, shape: [1, 2] }]);
    const x = [0.5, -1, 2];
    // by hand: z0 = W0 x + b0 = [3.6, -3.075], relu → [3.6, 0]; z1 = 2·3.6 + 0.3
    expect(fromRows.forward(x)[1][0]).toBeCloseTo(7.5, 12);
    expect(fromFlat.forward(x)[1][0]).toBeCloseTo(7.5, 12);
  });

  it("a tfjs kernel copied without transposing is a WeightOrientationError naming the layer (rows, or flat with shape)", () => {
    const rows = () => denseNetwork([{ weights: W0_TFJS, bias: B0 }, { weights: W1, bias: B1 }]);
    expect(rows).toThrow(WeightOrientationError);
    expect(rows).toThrow(/layers\[0\]\.weights: expected shape \[outputs, inputs\] = \[2, 3\].*received shape \[3, 2\]/);
    const flat = () => denseNetwork([{ weights: W0.flat(), bias: B0, shape: [2, 3] }, { weights: [[2], [-1]].flat(), bias: B1, shape: [2, 1] }]);
    expect(flat).toThrow(WeightOrientationError);
    expect(flat).toThrow(/layers\[1\]/);
    try {
      rows();
    } catch (error) {
      expect(error).toBeInstanceOf(DimensionMismatchError);
      expect((error as WeightOrientationError).layer).toBe(0);
    }
  });

  it("shapes that fit neither way, ragged rows and malformed shapes are typed errors", () => {
    expect(() => denseNetwork([{ weights: W0.flat(), bias: B0, shape: [2, 4] }])).toThrow(DimensionMismatchError);
    expect(() => denseNetwork([{ weights: W0.flat(), bias: B0 }, { weights: [1, 2, 3], bias: B1, shape: [1, 3] }])).toThrow(/layers\[1\]\.weights/);
    expect(() => denseNetwork([{ weights: [[1, 2], [3]], bias: B0 }])).toThrow(/layers\[0\]\.weights\[1\]/);
    expect(() => denseNetwork([{ weights: W0.flat(), bias: B0, shape: [2] }])).toThrow(InvalidArgumentError);
    expect(() => denseNetwork([{ weights: W0, bias: B0, shape: [3, 2] }])).toThrow(/layers\[0\]\.shape/);
  });

  it("without a declared shape, flat weights carry no orientation: only their length is checked", () => {
    // documented limit: flat weights carry no orientation; only their length is checked
    expect(() => denseNetwork([{ weights: W0_TFJS.flat(), bias: B0 }])).not.toThrow();
  });
});

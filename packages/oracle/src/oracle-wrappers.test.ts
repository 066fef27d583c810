import { describe, expect, it } from "vitest";
import { DimensionMismatchError } from "@smoothhess/errors";
import {
  OracleOutputError,
  batchedOracle,
  checkedOracle,
  countingOracle,
  isOracle,
  type GradientOracle,
} from "./index.js";

/** f(x) = Σ xᵢ², returning float32 gradients, optionally broken at one point. */
function sumOfSquares(dim: number, broken?: { point: number; coordinate: number }): GradientOracle {
  let calls = 0;
  return {
    dim,
    maxBatchSize: 8,
    evaluate(points, n) {
      calls++;
      const values = new Float64Array(n);
      const gradients = new Float32Array(n * dim);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < dim; j++) {
          const x = points[i * dim + j];
          values[i] += x * x;
          gradients[i * dim + j] = 2 * x;
        }
      }
      if (broken && calls === 2) gradients[broken.point * dim + broken.coordinate] = Number.NaN;
      return { values, gradients };
    },
  };
}

describe("oracle wrappers", () => {
  it("batchedOracle splits a request and concatenates the answers in order", async () => {
    const inner = countingOracle(sumOfSquares(3));
    const oracle = batchedOracle(inner, 4);
    const n = 10;
    const points = Float32Array.from({ length: n * 3 }, (_, k) => k / 10);
    const { values, gradients } = await oracle.evaluate(points, n);
    expect(inner.calls).toBe(3);
    expect(inner.pointsEvaluated).toBe(10);
    expect(gradients).toBeInstanceOf(Float32Array);
    for (let i = 0; i < n; i++) {
      expect(values[i]).toBeCloseTo(points[3 * i] ** 2 + points[3 * i + 1] ** 2 + points[3 * i + 2] ** 2, 6);
      expect(gradients[3 * i + 2]).toBeCloseTo(2 * points[3 * i + 2], 6);
    }
    inner.reset();
    expect(inner.calls).toBe(0);
  });

  it("batchedOracle defaults to the inner oracle's maxBatchSize hint", async () => {
    const inner = countingOracle(sumOfSquares(2));
    await batchedOracle(inner).evaluate(new Float64Array(2 * 20), 20);
    expect(inner.calls).toBe(3); // 8 + 8 + 4
  });

  it("checkedOracle names the batch, point and coordinate of a NaN", async () => {
    const oracle = checkedOracle(sumOfSquares(3, { point: 1, coordinate: 2 }));
    await oracle.evaluate(new Float64Array(6), 2);
    const error = (await Promise.resolve(oracle.evaluate(new Float64Array(6), 2)).catch((e: unknown) => e)) as OracleOutputError;
    expect(error).toBeInstanceOf(OracleOutputError);
    expect(error.message).toBe("oracle batch 1: gradient of point 1 is NaN at coordinate 2");
    expect(error.batch).toBe(1);
    expect(error.point).toBe(1);
  });

  it("checkedOracle rejects answers of the wrong length and requests of the wrong shape", async () => {
    const short: GradientOracle = {
      dim: 2,
      evaluate: (_p, n) => ({ values: new Float64Array(n), gradients: new Float64Array(2 * n - 1) }),
    };
    await expect(checkedOracle(short).evaluate(new Float64Array(4), 2)).rejects.toThrowError(
      "oracle batch 0: expected gradients of length n·dim = 4, received length 3",
    );
    const noValues = { dim: 2, evaluate: () => ({}) } as unknown as GradientOracle;
    await expect(checkedOracle(noValues).evaluate(new Float64Array(2), 1)).rejects.toThrowError(/expected values of length 1, received none/);
    await expect(checkedOracle(sumOfSquares(2)).evaluate(new Float64Array(5), 2)).rejects.toThrow(DimensionMismatchError);
    const valueOnly = { dim: 2, evaluate: (_p: unknown, n: number) => ({ values: new Float64Array(n) }) };
    await expect(checkedOracle(valueOnly, { gradients: false }).evaluate(new Float64Array(2), 1)).resolves.toBeDefined();
  });

  it("isOracle recognises the contract", () => {
    expect(isOracle(sumOfSquares(2))).toBe(true);
    expect(isOracle({ dim: 0, evaluate() {} })).toBe(false);
    expect(isOracle({ dim: 2 })).toBe(false);
    expect(isOracle(null)).toBe(false);
  });
});

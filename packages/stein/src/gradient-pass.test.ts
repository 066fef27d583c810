import { describe, expect, it } from "vitest";
import { OracleOutputError, checkedOracle, type GradientOracle } from "@smoothhess/oracle";
import { smoothGrad, smoothHess } from "./index.js";
import { shallowOracle, x0 } from "./test-fixtures.js";

/** A factory of the fixture oracle with one gradient entry replaced in the batch `batch` (0-based count of calls). */
function corrupted(batch: number, entry: (n: number) => number, value: number): () => GradientOracle {
  return () => {
    let calls = 0;
    return {
      dim: 4,
      evaluate: (points, n) => {
        const out = shallowOracle.evaluate(points, n);
        if (calls++ === batch) out.gradients[entry(n)] = value;
        return out;
      },
    };
  };
}

/** The message checkedOracle gives for the same answers: the estimators fold its checks into their own pass. */
async function checkedMessage(oracle: GradientOracle, options: Parameters<typeof smoothHess>[2]): Promise<string> {
  const error = await smoothGrad(checkedOracle(oracle), x0, options).catch((e: unknown) => e);
  return (error as Error).message;
}

describe("the gradient pass checks the oracle's answers as checkedOracle does", () => {
  const options = {
    covariance: { sigma: 0.3 },
    samples: 2_000,
    batchSize: 500,
  };
  it.each([
    [
      "a NaN in a minus point of the third batch",
      corrupted(2, (n) => 4 * (n - 1) + 1, Number.NaN),
      options,
      /oracle batch 2: gradient of point 499 is NaN at coordinate 1/,
    ],
    [
      "+Infinity in a plus point",
      corrupted(1, () => 4 * 6 + 3, Number.POSITIVE_INFINITY),
      options,
      /oracle batch 1: gradient of point 6 is Infinity at coordinate 3/,
    ],
    [
      "−Infinity with single samples",
      corrupted(0, () => 4 * 7, Number.NEGATIVE_INFINITY),
      { ...options, antithetic: false },
      /oracle batch 0: gradient of point 7 is -Infinity at coordinate 0/,
    ],
    [
      "a NaN after the control point (batch 0)",
      corrupted(1, () => 2, Number.NaN),
      { ...options, controlVariate: true },
      /oracle batch 1: gradient of point 0 is NaN at coordinate 2/,
    ],
  ])("%s", async (_, make, opts, message) => {
    const error = await smoothHess(make(), x0, opts).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OracleOutputError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toBe(await checkedMessage(make(), opts));
  });

  it("names a wrong shape or a non-finite value", async () => {
    const short: GradientOracle = {
      dim: 4,
      evaluate: (points, n) => ({
        ...shallowOracle.evaluate(points, n),
        gradients: new Float64Array(4 * n - 1),
      }),
    };
    await expect(smoothHess(short, x0, options)).rejects.toThrowError(
      /oracle batch 0: expected gradients of length n·dim = 2000, received length 1999/,
    );
    const badValue: GradientOracle = {
      dim: 4,
      evaluate: (points, n) => {
        const out = shallowOracle.evaluate(points, n);
        out.values[3] = Number.NaN;
        return out;
      },
    };
    await expect(smoothHess(badValue, x0, options)).rejects.toThrowError(/oracle batch 0: value of point 3 is NaN/);
  });

  it("accepts huge finite gradients whose squares overflow (the check's fast path flags them, the scan clears them)", async () => {
    const huge = corrupted(0, () => 5, 1e200)();
    const result = await smoothHess(huge, x0, { ...options, samples: 1_000 });
    expect(result.hessian.some((v) => !Number.isFinite(v))).toBe(false);
    expect(Number.isFinite(result.gradient[1])).toBe(true);
    expect(result.gradient[1]).toBeGreaterThan(1e195);
  });
});

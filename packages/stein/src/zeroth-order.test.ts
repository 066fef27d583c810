import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "@smoothhess/errors";
import type { ValueOracle } from "@smoothhess/oracle";
import { SingularDesignError, cLime, zerothOrderSmoothGrad, zerothOrderSmoothHess } from "./index.js";
import { covariances, exact, meanSquaredZ, shallowOracle, x0 } from "./test-fixtures.js";

/** The shallow network as a value-only oracle (no gradients returned). */
const values: ValueOracle = {
  dim: 4,
  evaluate: (points, n) => ({ values: shallowOracle.evaluate(points, n).values }),
};

describe("zeroth-order Stein estimators against the closed form", () => {
  it.each(covariances)("%s Σ: the gradient (Eq. 3) is within 5 SE per coordinate", async (_, sigma) => {
    const truth = exact(sigma);
    const result = await zerothOrderSmoothGrad(values, x0, { covariance: sigma, samples: 200_000, seed: 3 });
    for (let i = 0; i < 4; i++) expect(Math.abs(result.gradient[i] - truth.gradient[i])).toBeLessThan(5 * result.standardError.gradient[i]);
    expect(meanSquaredZ(result.gradient, truth.gradient, result.standardError.gradient)).toBeLessThan(4);
  });

  it.each(covariances)("%s Σ: the Hessian's Frobenius error is of the size its standard error predicts", async (_, sigma) => {
    const truth = exact(sigma);
    const result = await zerothOrderSmoothHess(values, x0, { covariance: sigma, samples: 200_000, seed: 4 });
    const error = Math.hypot(...result.hessian.map((h, k) => h - truth.hessian[k]));
    const ratio = error / result.standardError.hessianFrobenius;
    expect(ratio).toBeGreaterThan(0.25);
    expect(ratio).toBeLessThan(2.5);
    // and the estimate is informative: its error is well below the size of the Hessian itself
    expect(error).toBeLessThan(0.25 * Math.hypot(...truth.hessian));
    for (let r = 0; r < 4; r++) for (let c = 0; c < 4; c++) expect(result.hessian[r * 4 + c]).toBe(result.hessian[c * 4 + r]);
  });

  it("the control variate (default on) reduces the zeroth-order Hessian's error", async () => {
    const sigma = covariances[0][1];
    const withCv = await zerothOrderSmoothHess(values, x0, { covariance: sigma, samples: 20_000, seed: 1 });
    const without = await zerothOrderSmoothHess(values, x0, { covariance: sigma, samples: 20_000, seed: 1, controlVariate: false });
    expect(withCv.oracleCalls).toBe(20_001);
    expect(withCv.standardError.hessianFrobenius).toBeLessThan(without.standardError.hessianFrobenius);
  });
});

describe("C-LIME", () => {
  it("agrees with SmoothGrad in expectation (Agarwal et al., Theorem 1): 40 independent fits average to the exact smoothed gradient", async () => {
    for (const [, sigma] of covariances) {
      const truth = exact(sigma);
      const runs = 40;
      const sum = new Float64Array(4), sumSq = new Float64Array(4);
      for (let seed = 0; seed < runs; seed++) {
        const { coefficients } = await cLime(values, x0, { covariance: sigma, samples: 5_000, seed });
        for (let i = 0; i < 4; i++) {
          sum[i] += coefficients[i];
          sumSq[i] += coefficients[i] ** 2;
        }
      }
      for (let i = 0; i < 4; i++) {
        const mean = sum[i] / runs;
        const se = Math.sqrt((sumSq[i] / runs - mean * mean) / (runs - 1));
        expect(Math.abs(mean - truth.gradient[i])).toBeLessThan(5 * se);
      }
    }
  });

  it("fits a linear function exactly, intercept included", async () => {
    const linear: ValueOracle = {
      dim: 3,
      evaluate: (p, n) => ({ values: Float64Array.from({ length: n }, (_, i) => 2 + p[3 * i] - 3 * p[3 * i + 1] + 0.5 * p[3 * i + 2]) }),
    };
    const x = [1, 2, 3];
    const fit = await cLime(linear, x, { covariance: { sigma: 0.1 }, samples: 50 });
    expect(fit.coefficients[0]).toBeCloseTo(1, 9);
    expect(fit.coefficients[1]).toBeCloseTo(-3, 9);
    expect(fit.coefficients[2]).toBeCloseTo(0.5, 9);
    expect(fit.intercept).toBeCloseTo(2 + 1 - 6 + 1.5, 9);
  });

  it("a singular design throws SingularDesignError (perturbations so small that δ² underflows)", async () => {
    const error = await cLime(values, x0, { covariance: { sigma: 1e-170 }, samples: 50 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SingularDesignError);
    expect((error as SingularDesignError).code).toBe("singular-design");
    expect((error as SingularDesignError).estimator).toBe("cLime");
    expect((error as Error).message).toMatch(/^cLime: the sampled design matrix is singular/);
  });

  it("needs more samples than dimensions", async () => {
    await expect(cLime(values, x0, { covariance: { sigma: 0.1 }, samples: 4 })).rejects.toThrow(InvalidArgumentError);
    await expect(cLime(values, x0, { covariance: { sigma: 0.1 }, samples: 4 })).rejects.toThrowError(/more than d = 4 samples/);
  });
});

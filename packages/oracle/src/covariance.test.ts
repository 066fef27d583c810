import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "@smoothhess/errors";
import { NotPositiveDefiniteError } from "@smoothhess/linalg";
import { gaussianSampler } from "@smoothhess/random";
import { covariance, type CovarianceSpec } from "./index.js";

const full = [4, 1, 0.5, 1, 3, -0.2, 0.5, -0.2, 2];
const specs: [string, CovarianceSpec, number[]][] = [
  ["sigma", { sigma: 0.5 }, [0.25, 0, 0, 0, 0.25, 0, 0, 0, 0.25]],
  ["variance", { variance: 0.25 }, [0.25, 0, 0, 0, 0.25, 0, 0, 0, 0.25]],
  ["diagonal", { diagonal: [1, 2, 0.5] }, [1, 0, 0, 0, 2, 0, 0, 0, 0.5]],
  ["matrix", { matrix: full }, full],
];

describe("covariance", () => {
  it.each(specs)("%s: Σ, Σ⁻¹ and vᵀΣv agree with the dense matrix", (_, spec, dense) => {
    const cov = covariance(spec, 3);
    expect(Array.from(cov.toDense())).toEqual(dense);
    const v = [0.3, -1.2, 2.5];
    const sv = cov.apply(v);
    for (let i = 0; i < 3; i++) expect(sv[i]).toBeCloseTo(dense[3 * i] * v[0] + dense[3 * i + 1] * v[1] + dense[3 * i + 2] * v[2], 12);
    const back = cov.applyInverse(sv);
    for (let i = 0; i < 3; i++) expect(back[i]).toBeCloseTo(v[i], 12);
    expect(cov.quadraticForm(v)).toBeCloseTo(v[0] * sv[0] + v[1] * sv[1] + v[2] * sv[2], 12);
  });

  it.each(specs)("%s: perturbations have covariance Σ and their whitened form is Σ⁻¹δ", (_, spec, dense) => {
    const cov = covariance(spec, 3);
    const rng = gaussianSampler(1);
    const z = new Float64Array(3), delta = new Float64Array(3), white = new Float64Array(3);
    const n = 200_000;
    const second = new Float64Array(9);
    for (let s = 0; s < n; s++) {
      rng.fillNormal(z);
      cov.perturbation(z, delta, white);
      if (s < 5) {
        const check = cov.applyInverse(delta);
        for (let i = 0; i < 3; i++) expect(white[i]).toBeCloseTo(check[i], 10);
      }
      for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) second[3 * i + j] += delta[i] * delta[j];
    }
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        // Var(δᵢδⱼ) = ΣᵢᵢΣⱼⱼ + Σᵢⱼ²; allow 5 standard errors.
        const se = Math.sqrt((dense[4 * i] * dense[4 * j] + dense[3 * i + j] ** 2) / n);
        expect(Math.abs(second[3 * i + j] / n - dense[3 * i + j])).toBeLessThan(5 * se);
      }
    }
  });

  it("rejects malformed specs with typed errors naming the field", () => {
    expect(() => covariance({} as CovarianceSpec, 2)).toThrowError(/covariance: expected exactly one of sigma, variance, diagonal, matrix/);
    expect(() => covariance({ sigma: 1, variance: 1 } as unknown as CovarianceSpec, 2)).toThrowError(/keys sigma and variance/);
    expect(() => covariance({ sigma: 0 }, 2)).toThrowError("covariance.sigma: expected a finite number > 0, received 0");
    expect(() => covariance({ variance: Number.NaN }, 2)).toThrow(InvalidArgumentError);
    expect(() => covariance({ diagonal: [1, 2, 3] }, 2)).toThrowError(/covariance.diagonal: expected length 2/);
    expect(() => covariance({ diagonal: [1, 0] }, 2)).toThrowError(/covariance.diagonal: expected variances > 0, received 0 at index 1/);
    expect(() => covariance({ matrix: [1, 2, 2, 1] }, 2)).toThrow(NotPositiveDefiniteError);
    expect(() => covariance({ matrix: [1, 0, 0] }, 2)).toThrowError(/covariance.matrix: expected a 2×2/);
    expect(() => covariance(0.1 as unknown as CovarianceSpec, 2)).toThrowError(/covariance: expected an object/);
  });
});

import { describe, expect, it } from "vitest";
import { sampleBall } from "@smoothhess/metrics";
import { gaussianSampler } from "@smoothhess/random";
import { monteCarloNoise } from "./monte-carlo-noise.js";

describe("monteCarloNoise", () => {
  it.each(["uniform-ball", "uniform-radius"] as const)("is the mean squared Taylor error of a zero-mean gradient and traceless Hessian error (%s)", (sampling) => {
    const d = 12, radius = 0.8, n = 200_000;
    const rng = gaussianSampler(17);
    const eg = new Float64Array(d);
    rng.fillNormal(eg);
    const raw = new Float64Array(d * d);
    rng.fillNormal(raw);
    const e = new Float64Array(d * d);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) e[i * d + j] = (raw[i * d + j] + raw[j * d + i]) / 2;
    let trace = 0;
    for (let i = 0; i < d; i++) trace += e[i * d + i];
    for (let i = 0; i < d; i++) e[i * d + i] -= trace / d; // traceless: the formula's (tr E)² term is then exact
    const u = sampleBall(n, d, radius, { seed: 3, sampling });
    const squares = new Float64Array(n);
    for (let p = 0; p < n; p++) {
      let lin = 0, quad = 0;
      for (let i = 0; i < d; i++) {
        lin += eg[i] * u[p * d + i];
        for (let j = 0; j < d; j++) quad += u[p * d + i] * e[i * d + j] * u[p * d + j];
      }
      squares[p] = (lin + 0.5 * quad) ** 2;
    }
    const mean = squares.reduce((a, b) => a + b, 0) / n;
    const se = Math.sqrt(squares.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) / n);
    const gradientError = eg.reduce((a, b) => a + b * b, 0);
    const hessianError = e.reduce((a, b) => a + b * b, 0);
    const predicted = monteCarloNoise({ gradientError, hessianError }, radius, d, sampling, true);
    expect(Math.abs(predicted - mean)).toBeLessThan(4 * se);
    expect(se / mean).toBeLessThan(0.01); // the check is sharp
    // without the Hessian term only the gradient's part remains
    expect(monteCarloNoise({ gradientError, hessianError }, radius, d, sampling, false)).toBeLessThan(predicted);
  });
});

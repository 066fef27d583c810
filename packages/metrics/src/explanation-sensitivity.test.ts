import { describe, expect, it } from "vitest";
import { DimensionMismatchError, InvalidArgumentError } from "@smoothhess/errors";
import { networkOracle, quadraticOracle, randomDenseNetwork } from "@smoothhess/oracle";
import { smoothGrad, smoothHess } from "@smoothhess/stein";
import { explanationSensitivity, type Explainer } from "./explanation-sensitivity.js";
import { multiply, randomSymmetric, randomVector } from "./test-support.js";

const d = 4;
const hessian = randomSymmetric(d, 5);
const quadratic = quadraticOracle(d, { hessian, gradient: randomVector(d, 6) });
const x = randomVector(d, 7);
const covarianceSpec = { sigma: 0.3 };

describe("explanationSensitivity on a quadratic f (closed forms)", () => {
  it("SmoothHess does not move (0 to rounding); SmoothGrad moves by exactly H(x' − x)", async () => {
    const hess: Explainer = async (p, seed) => (await smoothHess(quadratic, p, { covariance: covarianceSpec, samples: 200, seed })).hessian;
    const grad: Explainer = async (p, seed) => (await smoothGrad(quadratic, p, { covariance: covarianceSpec, samples: 200, seed })).gradient;
    const options = { neighbourhood: { kind: "gaussian", scale: 0.1 }, neighbours: 8, seed: 3, explainerSeeds: "common" } as const;
    const h = await explanationSensitivity(hess, x, { ...options, shape: "matrix" });
    expect(h.shape).toBe("matrix");
    expect(h.max.spectral).toBeLessThan(1e-12);
    expect(h.max.frobenius).toBeLessThan(1e-12);
    // with a seed of its own the estimator differs (Monte-Carlo noise of Σδδᵀ/σ²), and that is reported apart
    expect(h.estimatorNoise!.frobenius).toBeGreaterThan(1e-3);

    // SmoothGrad with antithetic pairs is exact for a quadratic, whatever the seeds
    const g = await explanationSensitivity(grad, x, { ...options, explainerSeeds: "independent", shape: "vector" });
    expect(g.shape).toBe("vector");
    for (let i = 0; i < g.neighbours; i++) {
      const delta = Array.from({ length: d }, (_, j) => g.points[i * d + j] - x[j]);
      const moved = multiply(hessian, delta);
      const l2 = Math.hypot(...moved), l1 = moved.reduce((s, v) => s + Math.abs(v), 0);
      expect(Math.abs(g.distances[i].l2 - l2)).toBeLessThan(1e-12 * (1 + l2));
      expect(Math.abs(g.distances[i].l1 - l1)).toBeLessThan(1e-12 * (1 + l1));
    }
    expect(g.estimatorNoise!.l2).toBeLessThan(1e-13);
  });

  it("aggregates max and mean over neighbours, and ratios to the displacement", async () => {
    const exact: Explainer = (p) => multiply(hessian, p);
    const s = await explanationSensitivity(exact, x, { neighbourhood: { kind: "ball", radius: 0.5 }, neighbours: 25, topK: 2 });
    if (s.shape !== "vector") throw new Error("expected a vector result");
    const l1 = s.distances.map((r) => r.l1);
    expect(s.max.l1).toBe(Math.max(...l1));
    expect(s.mean.l1).toBeCloseTo(l1.reduce((a, b) => a + b) / 25, 12);
    const norm = Math.abs(symmetricSpectral(hessian));
    for (let i = 0; i < 25; i++) {
      expect(s.displacements[i]).toBeLessThanOrEqual(0.5 + 1e-15);
      expect(s.lipschitzRatio.values[i]).toBeLessThanOrEqual(norm * (1 + 1e-12));
    }
    expect(s.estimatorNoise!.l2).toBe(0);
  });
});

describe("neighbourhoods", () => {
  const identity: Explainer = (p) => p;
  it("gaussian neighbours have E‖x' − x‖² = d s²; sphere neighbours sit at the radius", async () => {
    const s = await explanationSensitivity(identity, new Float64Array(50), { neighbourhood: { kind: "gaussian", scale: 0.1 }, neighbours: 400, estimatorNoise: false });
    const meanSquare = Array.from(s.displacements).reduce((a, r) => a + r * r, 0) / 400;
    // ‖x'−x‖²/s² ~ χ²₅₀: mean 50, sd of the mean √(100/400) = 0.5 → 5 sd tolerance
    expect(Math.abs(meanSquare / 0.01 - 50)).toBeLessThan(2.5);
    const sphere = await explanationSensitivity(identity, [1, 2, 3], { neighbourhood: { kind: "sphere", radius: 0.25 }, neighbours: 20 });
    for (const r of sphere.displacements) expect(r).toBeCloseTo(0.25, 14);
    // identity map: ratio exactly 1
    expect(sphere.lipschitzRatio.max).toBeCloseTo(1, 12);
  });

  it("keeps the neighbours of `seed` when only `explainerSeed` changes", async () => {
    const seen: number[] = [];
    const recording: Explainer = (p, seed) => {
      seen.push(seed);
      return p;
    };
    const a = await explanationSensitivity(recording, [0, 0], { neighbourhood: { kind: "gaussian", scale: 1 }, seed: 4, explainerSeed: 1 });
    const first = seen.splice(0);
    const b = await explanationSensitivity(recording, [0, 0], { neighbourhood: { kind: "gaussian", scale: 1 }, seed: 4, explainerSeed: 2 });
    expect(Array.from(a.points)).toEqual(Array.from(b.points));
    expect(seen.some((s, i) => s === first[i])).toBe(false);
  });

  it("is reproducible from its seed", async () => {
    const a = await explanationSensitivity(identity, [0, 0], { neighbourhood: { kind: "gaussian", scale: 1 }, seed: 9 });
    const b = await explanationSensitivity(identity, [0, 0], { neighbourhood: { kind: "gaussian", scale: 1 }, seed: 9 });
    expect(Array.from(a.points)).toEqual(Array.from(b.points));
  });
});

describe("estimator noise is reported apart from instability", () => {
  it("a noisy SmoothGrad of a ReLU net: common seeds shrink the distances, the noise stays", async () => {
    const network = randomDenseNetwork([3, 12, 1], { seed: 2 });
    const oracle = networkOracle(network);
    const sg: Explainer = async (p, seed) => (await smoothGrad(oracle, p, { covariance: { sigma: 0.5 }, samples: 64, seed })).gradient;
    const point = [0.2, -0.1, 0.4];
    const options = { neighbourhood: { kind: "gaussian", scale: 0.01 }, neighbours: 10, seed: 1, shape: "vector" } as const;
    const independent = await explanationSensitivity(sg, point, options);
    const common = await explanationSensitivity(sg, point, { ...options, explainerSeeds: "common" });
    // at s = 0.01 the map barely moves, so independent distances are mostly estimator noise
    expect(common.mean.l2).toBeLessThan(independent.mean.l2 / 3);
    expect(independent.estimatorNoise!.l2).toBeGreaterThan(3 * common.mean.l2);
  });
});

describe("typed errors", () => {
  const identity: Explainer = (p) => p;
  it("rejects s ≤ 0, ε ≤ 0, k > d and mismatched explanation shapes", async () => {
    await expect(explanationSensitivity(identity, [1, 2], { neighbourhood: { kind: "gaussian", scale: 0 } })).rejects.toThrow(/options.neighbourhood.scale: expected a finite number > 0, received 0/);
    await expect(explanationSensitivity(identity, [1, 2], { neighbourhood: { kind: "gaussian", scale: -1 } })).rejects.toThrow(InvalidArgumentError);
    await expect(explanationSensitivity(identity, [1, 2], { neighbourhood: { kind: "ball", radius: 0 } })).rejects.toThrow(/radius/);
    await expect(explanationSensitivity(identity, [1, 2], { neighbourhood: { kind: "cube", radius: 1 } as never })).rejects.toThrow(/kind/);
    await expect(explanationSensitivity(identity, [1, 2], { neighbourhood: { kind: "sphere", radius: 1 }, topK: 3 })).rejects.toThrow(/options.topK/);
    await expect(explanationSensitivity((p) => [p[0], p[1], 0], [1, 2], { neighbourhood: { kind: "sphere", radius: 1 } })).rejects.toThrow(DimensionMismatchError);
    let calls = 0;
    const changing: Explainer = (p) => (calls++ === 0 ? p : [...p, 0]);
    await expect(explanationSensitivity(changing, [1, 2], { neighbourhood: { kind: "sphere", radius: 1 } })).rejects.toThrow(/explain\(x'\[0\]\): expected an explanation of the same length/);
    await expect(explanationSensitivity((p) => [p[0], 0, 0, p[1]], [1, 2], { neighbourhood: { kind: "sphere", radius: 1 }, topK: 2 })).rejects.toThrow(/feature pairs/);
    await expect(explanationSensitivity(() => [NaN, 1], [1, 2], { neighbourhood: { kind: "sphere", radius: 1 } })).rejects.toThrow(/explain\(x\)/);
  });
});

function symmetricSpectral(a: Float64Array): number {
  // power iteration is enough for a 4×4 test matrix
  let v = new Float64Array(d).fill(1);
  let lambda = 0;
  for (let it = 0; it < 2000; it++) {
    const w = multiply(a, v);
    lambda = Math.hypot(...w);
    v = w.map((t) => t / lambda);
  }
  return lambda;
}

import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "@smoothhess/errors";
import { ballSampler, sampleBall } from "./index.js";
import { ksCritical, ksStatistic, randomVector } from "./test-support.js";

const N = 20_000;

function radiiAndDirections(points: Float64Array, n: number, d: number): { radii: Float64Array; directions: Float64Array } {
  const radii = new Float64Array(n);
  const directions = new Float64Array(n * d);
  for (let p = 0; p < n; p++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += points[p * d + j] ** 2;
    radii[p] = Math.sqrt(s);
    for (let j = 0; j < d; j++) directions[p * d + j] = points[p * d + j] / radii[p];
  }
  return { radii, directions };
}

describe("ballSampler: uniform in the L2 ball", () => {
  it.each([1, 2, 3, 10, 50])("d = %i: the radius has CDF (ρ/ε)^d (Kolmogorov–Smirnov at α = 0.001)", (d) => {
    const eps = 0.7;
    const { radii } = radiiAndDirections(sampleBall(N, d, eps, { seed: d }), N, d);
    expect(Math.max(...radii)).toBeLessThanOrEqual(eps * (1 + 1e-15));
    expect(ksStatistic(radii, (t) => (t / eps) ** d)).toBeLessThan(ksCritical(N));
    // volume fractions: the inner ball of radius ε/2 holds 2^-d of the points (binomial, 5 standard errors)
    const inner = radii.filter((r) => r < eps / 2).length / N;
    const p = 2 ** -d;
    expect(Math.abs(inner - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / N) + 1e-12);
  });

  it.each([1, 2, 3, 10, 50])("d = %i: directions are isotropic (mean 0, second moment I/d, entrywise within 5 SE)", (d) => {
    const { directions } = radiiAndDirections(sampleBall(N, d, 1, { seed: 100 + d }), N, d);
    const mean = new Float64Array(d);
    const second = new Float64Array(d * d);
    for (let p = 0; p < N; p++) {
      for (let i = 0; i < d; i++) {
        const ui = directions[p * d + i];
        mean[i] += ui / N;
        for (let j = 0; j < d; j++) second[i * d + j] += (ui * directions[p * d + j]) / N;
      }
    }
    // Var(uᵢ) = 1/d; Var(uᵢ²) = 3/(d(d+2)) − 1/d²; Var(uᵢuⱼ) = 1/(d(d+2)) for i ≠ j (uniform on the sphere)
    const seMean = Math.sqrt(1 / d / N);
    const seDiagonal = Math.sqrt(Math.max(3 / (d * (d + 2)) - 1 / d ** 2, 0) / N);
    const seOff = Math.sqrt(1 / (d * (d + 2)) / N);
    for (let i = 0; i < d; i++) {
      expect(Math.abs(mean[i])).toBeLessThan(5 * seMean);
      for (let j = 0; j < d; j++) {
        const target = i === j ? 1 / d : 0;
        const se = i === j ? seDiagonal : seOff;
        expect(Math.abs(second[i * d + j] - target)).toBeLessThanOrEqual(5 * se + 1e-12);
      }
    }
  });

  it("d = 2: the angle is uniform on (−π, π]; d = 3: a projection on any fixed axis is uniform on [−1, 1] (Archimedes)", () => {
    const { directions: circle } = radiiAndDirections(sampleBall(N, 2, 1, { seed: 7 }), N, 2);
    const angles = Float64Array.from({ length: N }, (_, p) => Math.atan2(circle[2 * p + 1], circle[2 * p]));
    expect(ksStatistic(angles, (t) => (t + Math.PI) / (2 * Math.PI))).toBeLessThan(ksCritical(N));

    const axis = randomVector(3, 5);
    const length = Math.hypot(...axis);
    const { directions: sphere } = radiiAndDirections(sampleBall(N, 3, 1, { seed: 8 }), N, 3);
    const projections = Float64Array.from({ length: N }, (_, p) => (sphere[3 * p] * axis[0] + sphere[3 * p + 1] * axis[1] + sphere[3 * p + 2] * axis[2]) / length);
    expect(ksStatistic(projections, (t) => (t + 1) / 2)).toBeLessThan(ksCritical(N));
  });

  it("d = 1: both signs equally often", () => {
    const points = sampleBall(N, 1, 1, { seed: 9 });
    const positive = points.filter((v) => v > 0).length / N;
    expect(Math.abs(positive - 0.5)).toBeLessThan(5 * Math.sqrt(0.25 / N));
  });
});

describe("ballSampler: the authors' radius-uniform law", () => {
  it("draws ρ/ε uniform on [0, 1], which fails the ball's radius test for d > 1", () => {
    const d = 10, eps = 2;
    const { radii } = radiiAndDirections(sampleBall(N, d, eps, { seed: 11, sampling: "uniform-radius" }), N, d);
    expect(ksStatistic(radii, (t) => t / eps)).toBeLessThan(ksCritical(N));
    // the uniform-in-ball CDF is far off: mean radius ε/2 here, ε·d/(d+1) in the ball
    expect(ksStatistic(radii, (t) => (t / eps) ** d)).toBeGreaterThan(0.3);
    const mean = radii.reduce((s, r) => s + r, 0) / N;
    expect(Math.abs(mean - eps / 2)).toBeLessThan(5 * eps * Math.sqrt(1 / 12 / N));
  });

  it("agrees with the uniform-ball law in d = 1, where both are uniform on [−ε, ε]", () => {
    const { radii } = radiiAndDirections(sampleBall(N, 1, 1, { seed: 12, sampling: "uniform-radius" }), N, 1);
    expect(ksStatistic(radii, (t) => t)).toBeLessThan(ksCritical(N));
  });
});

describe("ballSampler: seeding", () => {
  it("same seed, same points, however they are batched; other seeds differ", () => {
    const d = 5;
    const whole = sampleBall(100, d, 1, { seed: 3 });
    const sampler = ballSampler(d, 1, { seed: 3 });
    const pieces = new Float64Array(100 * d);
    sampler.fill(pieces, 37);
    sampler.fill(pieces, 1, 37);
    sampler.fill(pieces, 62, 38);
    expect(Array.from(pieces)).toEqual(Array.from(whole));
    expect(Array.from(sampleBall(100, d, 1, { seed: 4 }))).not.toEqual(Array.from(whole));
  });

  it("rejects bad arguments with typed errors naming them", () => {
    expect(() => ballSampler(0, 1)).toThrowError(InvalidArgumentError);
    expect(() => ballSampler(3, 0)).toThrowError("radius: expected a finite number > 0, received 0");
    expect(() => ballSampler(3, -1)).toThrowError(InvalidArgumentError);
    expect(() => ballSampler(3, 1, { sampling: "gaussian" as never })).toThrowError(/options\.sampling: expected one of "uniform-ball", "uniform-radius"/);
    expect(() => sampleBall(0, 3, 1)).toThrowError("count: expected an integer ≥ 1, received 0");
    expect(() => ballSampler(3, 1, { seed: 0.5 })).toThrowError(/seed/);
  });
});

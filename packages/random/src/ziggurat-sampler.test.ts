import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "@smoothhess/errors";
import { gaussianSampler, zigguratSampler } from "./index.js";
import { ZIGGURAT_EDGES } from "./ziggurat-table.js";

const f = (x: number) => Math.exp(-0.5 * x * x);
const R = 3.6541528853610088;
const V = 0.0049286732339746553;

/** Standard normal CDF (Abramowitz & Stegun 7.1.26, absolute error < 1.5e-7 — far below what the tests resolve). */
function phi(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erfc = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-z * z);
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
}

describe("the ziggurat's layer table", () => {
  it("starts at v/f(r), then r, ends at 0, and decreases", () => {
    expect(ZIGGURAT_EDGES.length).toBe(257);
    expect(ZIGGURAT_EDGES[1]).toBe(R);
    expect(ZIGGURAT_EDGES[0]).toBeCloseTo(V / f(R), 14);
    expect(ZIGGURAT_EDGES[256]).toBe(0);
    for (let i = 1; i < 256; i++) expect(ZIGGURAT_EDGES[i + 1]).toBeLessThan(ZIGGURAT_EDGES[i]);
  });

  it("gives every layer the same area v (the base strip, the 254 layers between, the top), to 1e-12", () => {
    expect(Math.abs(ZIGGURAT_EDGES[0] * f(R) - V) / V).toBeLessThan(1e-12);
    for (let i = 1; i < 256; i++) {
      const area = ZIGGURAT_EDGES[i] * (f(ZIGGURAT_EDGES[i + 1]) - f(ZIGGURAT_EDGES[i]));
      expect(Math.abs(area - V) / V, `layer ${i}`).toBeLessThan(1e-12);
    }
    // The base strip beyond r is the normal tail: v − r·f(r) = ∫_r^∞ f = √(π/2)·erfc(r/√2).
    const tail = V - R * f(R);
    expect(Math.abs(tail - Math.sqrt(Math.PI / 2) * 2 * (1 - phi(R))) / tail).toBeLessThan(1e-3);
  });
});

describe("zigguratSampler", () => {
  it("gives the same numbers for the same seed, whatever the batching and array type", () => {
    const whole = zigguratSampler(3).fillNormal(new Float64Array(2001));
    expect(Array.from(zigguratSampler(3).fillNormal(new Float64Array(2001)))).toEqual(Array.from(whole));
    const rng = zigguratSampler(3);
    const parts = new Float64Array(2001);
    rng.fillNormal(parts, 0, 37);
    parts[37] = rng.normal();
    rng.fillNormal(parts, 38, 2001);
    expect(Array.from(parts)).toEqual(Array.from(whole));
    const single = new Float32Array(2001);
    zigguratSampler(3).fillNormal(single);
    expect(Array.from(single)).toEqual(Array.from(whole, Math.fround));
    expect(Array.from(zigguratSampler(4).fillNormal(new Float64Array(100)))).not.toEqual(Array.from(whole.subarray(0, 100)));
  });

  it("draws other normals than Box–Muller but the same uniforms, integers and shuffles", () => {
    expect(Array.from(zigguratSampler(9).fillNormal(new Float64Array(10)))).not.toEqual(Array.from(gaussianSampler(9).fillNormal(new Float64Array(10))));
    const a = zigguratSampler(9), b = gaussianSampler(9);
    expect(Array.from(a.fillUniform(new Float64Array(50)))).toEqual(Array.from(b.fillUniform(new Float64Array(50))));
    expect([a.uniform(), a.int(-3, 1000), a.between(2, 5)]).toEqual([b.uniform(), b.int(-3, 1000), b.between(2, 5)]);
    expect(Array.from(a.shuffle(Int32Array.from({ length: 30 }, (_, i) => i)))).toEqual(Array.from(b.shuffle(Int32Array.from({ length: 30 }, (_, i) => i))));
  });

  it("rejects a bad seed and a bad fill range with a typed error naming the argument", () => {
    expect(() => zigguratSampler(1.5)).toThrow(InvalidArgumentError);
    expect(() => zigguratSampler(2 ** 32, "options.seed")).toThrow(/options\.seed/);
    expect(() => zigguratSampler(0).fillNormal([0, 0] as unknown as Float64Array)).toThrow(/out/);
    expect(() => zigguratSampler(0).fillNormal(new Float64Array(3), 2, 5)).toThrow(/end/);
  });

  // 4·10⁶ draws per seed. Moments within 5 standard errors; the Kolmogorov–Smirnov distance below 1.95/√n (the
  // 0.1 % critical value); Pearson's χ² over 202 bins (200 of width 0.04 on [−4, 4] and the two tails) below
  // 201 + 5·√(2·201), five standard deviations above its mean. A sampler that accepted every wedge point, or never
  // drew the tail, fails the χ² test by hundreds of standard deviations.
  it.each([1, 2, 77])("is standard normal (seed %i): moments, KS distance, χ² over 202 bins, tail mass", (seed) => {
    const n = 4_000_000;
    const z = zigguratSampler(seed).fillNormal(new Float64Array(n));
    let m1 = 0, m2 = 0, m4 = 0, beyondR = 0;
    const counts = new Float64Array(202);
    for (let k = 0; k < n; k++) {
      const v = z[k];
      m1 += v;
      m2 += v * v;
      m4 += v ** 4;
      if (Math.abs(v) > R) beyondR++;
      counts[v < -4 ? 0 : v >= 4 ? 201 : 1 + Math.min(199, Math.floor((v + 4) / 0.04))]++;
    }
    m1 /= n; m2 /= n; m4 /= n;
    expect(Math.abs(m1)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(m2 - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    expect(Math.abs(m4 - 3)).toBeLessThan(5 * Math.sqrt(96 / n));
    const pTail = 2 * (1 - phi(R));
    expect(Math.abs(beyondR / n - pTail)).toBeLessThan(5 * Math.sqrt(pTail / n));

    let chi2 = 0;
    for (let b = 0; b < 202; b++) {
      const lo = b === 0 ? -Infinity : -4 + (b - 1) * 0.04, hi = b === 201 ? Infinity : -4 + b * 0.04;
      const expected = n * ((hi === Infinity ? 1 : phi(hi)) - (lo === -Infinity ? 0 : phi(lo)));
      chi2 += (counts[b] - expected) ** 2 / expected;
    }
    expect(chi2).toBeLessThan(201 + 5 * Math.sqrt(2 * 201));

    const sorted = Float64Array.from(z.subarray(0, 1_000_000)).sort();
    let ks = 0;
    for (let k = 0; k < sorted.length; k++) {
      const p = phi(sorted[k]);
      ks = Math.max(ks, Math.abs(p - k / sorted.length), Math.abs(p - (k + 1) / sorted.length));
    }
    expect(ks).toBeLessThan(1.95 / Math.sqrt(sorted.length));
  });
});

import { describe, expect, it } from "vitest";
import { splitDataset } from "./split.js";
import { forcedExhalationVolume, spirometryCurve } from "./spirometry-model.js";
import { syntheticSpirometry } from "./synthetic-spirometry.js";

describe("syntheticSpirometry", () => {
  const { dataset, truth } = syntheticSpirometry({ n: 2000, seed: 11 });

  it("gives 300 features of 15 s at 50 ms per curve and one truth record per curve", () => {
    expect(dataset.n).toBe(2000);
    expect(dataset.d).toBe(300);
    expect(dataset.shape).toEqual([300, 1]);
    expect(dataset.classes).toBeUndefined();
    expect(dataset.y).toBeInstanceOf(Float32Array);
    expect(truth.length).toBe(2000);
  });

  it("labels each curve with the exact FEV₁ of its cough-free exhalation", () => {
    for (let r = 0; r < dataset.n; r++) {
      const t = truth[r];
      const fev1 = forcedExhalationVolume(1, t);
      expect(t.fev1).toBe(fev1);
      expect(dataset.y[r]).toBe(Math.fround(fev1));
      expect(t.observedFev1).toBe(dataset.x[r * 300 + 20]);
      expect(t.observedFvc).toBeCloseTo(Math.max(...dataset.x.subarray(r * 300, (r + 1) * 300)), 6);
    }
  });

  it("stores the coughed curve plus noise: the residual against the noise-free curve has the stated 5 mL spread", () => {
    let sum = 0, sum2 = 0, count = 0;
    for (let r = 0; r < 200; r++) {
      const t = truth[r];
      const clean = spirometryCurve({ fvc: t.fvc, tau: t.tau, rise: t.rise, coughs: t.coughs });
      for (let i = 0; i < 300; i++) {
        const e = dataset.x[r * 300 + i] - clean[i];
        sum += e;
        sum2 += e * e;
        count++;
      }
    }
    const sd = Math.sqrt(sum2 / count);
    // 60,000 residuals: sd of the sd estimate ≈ 0.005/√(2·60000) ≈ 1.4e-5 (plus float32 rounding ≤ 2.4e-7)
    expect(Math.abs(sd - 0.005)).toBeLessThan(1e-4);
    expect(Math.abs(sum / count)).toBeLessThan(5 * (0.005 / Math.sqrt(count)));
  });

  it("draws subjects from the documented distributions", () => {
    const ratios = truth.map((t) => t.fev1 / t.fvc);
    const fvcs = truth.map((t) => t.fvc);
    const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
    expect(Math.min(...ratios)).toBeGreaterThanOrEqual(0.4);
    expect(Math.max(...ratios)).toBeLessThanOrEqual(0.92);
    expect(Math.min(...fvcs)).toBeGreaterThanOrEqual(1.5);
    expect(Math.max(...fvcs)).toBeLessThanOrEqual(7);
    // truncation barely moves the means: ratio N(0.76, 0.08) cut at 0.92 (2 sd) → mean ≈ 0.7557; SE ≈ 0.0017
    expect(Math.abs(mean(ratios) - 0.7557)).toBeLessThan(5 * 0.0017);
    // FVC N(3.9, 0.9) cut at [1.5, 7] → mean ≈ 3.909; SE ≈ 0.02
    expect(Math.abs(mean(fvcs) - 3.909)).toBeLessThan(5 * 0.02);
    const coughing = truth.filter((t) => t.coughs.length > 0).length;
    expect(Math.abs(coughing - 1000)).toBeLessThan(5 * Math.sqrt(2000 * 0.25)); // Binomial(2000, ½)
    for (const t of truth) {
      expect(t.coughs.length).toBeLessThanOrEqual(2);
      expect(t.rise).toBeGreaterThanOrEqual(0.03);
      expect(t.rise).toBeLessThanOrEqual(0.06);
      t.coughs.forEach((c, k) => {
        expect(c.start).toBeGreaterThanOrEqual(0.2);
        expect(c.start).toBeLessThanOrEqual(4);
        expect(c.duration).toBeGreaterThanOrEqual(0.15);
        expect(c.duration).toBeLessThanOrEqual(0.6);
        if (k > 0) expect(c.start).toBeGreaterThanOrEqual(t.coughs[k - 1].start + t.coughs[k - 1].duration + 0.1);
      });
    }
  });

  it("puts flat plateaus exactly on the samples the truth names when there is no noise and no dip", () => {
    const flat = syntheticSpirometry({ n: 300, seed: 5, noise: 0, coughDip: [0, 0], coughProbability: 1 });
    let plateaus = 0;
    flat.truth.forEach((t, r) => {
      expect(t.coughs.length).toBeGreaterThan(0);
      for (const c of t.coughs) {
        for (let i = c.firstSample; i <= c.lastSample; i++) {
          expect(i * 0.05).toBeGreaterThanOrEqual(c.start - 1e-12);
          expect(i * 0.05).toBeLessThanOrEqual(c.start + c.duration + 1e-12);
          expect(flat.dataset.x[r * 300 + i]).toBe(flat.dataset.x[r * 300 + c.firstSample]);
        }
        if (c.lastSample > c.firstSample) plateaus++;
        // the sample after the plateau is higher: exhalation resumes
        expect(flat.dataset.x[r * 300 + c.lastSample + 1]).toBeGreaterThan(flat.dataset.x[r * 300 + c.lastSample]);
      }
    });
    expect(plateaus).toBeGreaterThan(300);
  });

  it("equals the curve's own sample at 1 s without coughs and noise, and can use it as the label", () => {
    const clean = syntheticSpirometry({ n: 50, seed: 3, noise: 0, coughProbability: 0 });
    for (let r = 0; r < 50; r++) expect(clean.dataset.y[r]).toBe(clean.dataset.x[r * 300 + 20]);
    const observed = syntheticSpirometry({ n: 50, seed: 3, target: "observed-fev1" });
    for (let r = 0; r < 50; r++) expect(observed.dataset.y[r]).toBe(observed.dataset.x[r * 300 + 20]);
  });

  it("is deterministic in the seed and keeps truth reachable after a split", () => {
    const again = syntheticSpirometry({ n: 2000, seed: 11 });
    const same = (a: Float32Array, b: Float32Array) => Buffer.from(a.buffer).equals(Buffer.from(b.buffer));
    expect(same(again.dataset.x, dataset.x)).toBe(true);
    expect(same(again.dataset.y as Float32Array, dataset.y as Float32Array)).toBe(true);
    expect(same(syntheticSpirometry({ n: 20, seed: 12 }).dataset.x, syntheticSpirometry({ n: 20, seed: 11 }).dataset.x)).toBe(false);
    const { test } = splitDataset(dataset, { train: 1600, test: 400 }, { seed: 1 });
    for (let i = 0; i < test.n; i++) expect(test.y[i]).toBe(Math.fround(truth[test.index![i]].fev1));
  });

  it("names the option at fault", () => {
    expect(() => syntheticSpirometry({ n: -1 })).toThrowError("options.n: expected an integer ≥ 0, received -1");
    expect(() => syntheticSpirometry({ ratioRange: [0.5, 1.5] })).toThrowError(
      "options.ratioRange: expected [low, high] with > 0 low ≤ high ≤ 1, received an array of length 2",
    );
    expect(() => syntheticSpirometry({ maxCoughs: 10 })).toThrowError(
      "options.maxCoughs: expected few enough coughs to fit in options.coughWindow: (maxCoughs − 1)·(longest cough + gap) ≤ 3.8 s, received 10",
    );
    expect(() => syntheticSpirometry({ target: "fvc" as never })).toThrowError('options.target: expected "fev1" or "observed-fev1", received "fvc"');
    expect(() => syntheticSpirometry({ duration: 0.5 })).toThrowError("options.duration: expected curves that reach 1 s");
    expect(() => syntheticSpirometry({ seed: 1.5 })).toThrowError("options.seed: expected an integer in [-2147483648, 4294967295], received 1.5");
  });
});

import { InvalidArgumentError } from "@smoothhess/errors";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type ForcedExhalation,
  fev1FromCurve,
  forcedExhalationVolume,
  fvcFromCurve,
  spirometryCurve,
  spirometryVolume,
  volumeAt,
} from "./spirometry-model.js";

const healthy: ForcedExhalation = { fvc: 4.5, tau: 0.6, rise: 0.04 };

describe("forcedExhalationVolume", () => {
  it("starts at zero with zero flow, rises monotonically and plateaus at FVC", () => {
    expect(forcedExhalationVolume(0, healthy)).toBe(0);
    expect(forcedExhalationVolume(-1, healthy)).toBe(0);
    const h = 1e-6;
    expect(forcedExhalationVolume(h, healthy) / h).toBeLessThan(1e-3); // flow(0) = 0
    expect(Math.abs(forcedExhalationVolume(15, healthy) - 4.5)).toBeLessThan(1e-9);
    let previous = 0;
    for (let i = 1; i <= 300; i++) {
      const v = forcedExhalationVolume(i * 0.05, healthy);
      expect(v).toBeGreaterThan(previous);
      previous = v;
    }
  });

  it("peaks in flow at s* = τρ ln(τ/ρ)/(τ − ρ), checked by finite differences", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.2, max: 3, noNaN: true }), fc.double({ min: 0.01, max: 0.1, noNaN: true }), (tau, rise) => {
        const p = { fvc: 3, tau, rise };
        const flow = (s: number) => (forcedExhalationVolume(s + 1e-6, p) - forcedExhalationVolume(s - 1e-6, p)) / 2e-6;
        const peak = (tau * rise * Math.log(tau / rise)) / (tau - rise);
        expect(flow(peak)).toBeGreaterThan(flow(peak * 0.9));
        expect(flow(peak)).toBeGreaterThan(flow(peak * 1.1));
        // flow matches the closed form FVC(e^{−s/τ} − e^{−s/ρ})/(τ − ρ)
        const s = 0.7 * peak + 0.2;
        expect(flow(s)).toBeCloseTo((3 * (Math.exp(-s / tau) - Math.exp(-s / rise))) / (tau - rise), 5);
      }),
      { numRuns: 50 },
    );
  });
});

describe("spirometryVolume with coughs", () => {
  const coughing: ForcedExhalation = { ...healthy, coughs: [{ start: 0.5, duration: 0.4 }, { start: 2, duration: 0.3, dip: 0.1 }] };

  it("holds a plateau during a cough and resumes where it stopped", () => {
    const at = forcedExhalationVolume(0.5, healthy);
    for (const t of [0.5, 0.6, 0.75, 0.9]) expect(spirometryVolume(t, coughing)).toBeCloseTo(at, 14);
    expect(spirometryVolume(1.3, coughing)).toBeCloseTo(forcedExhalationVolume(0.9, healthy), 14);
    // second cough: the clock has lost 0.4 s; dip of 0.1 L at the middle, none at the ends
    const base = forcedExhalationVolume(1.6, healthy);
    expect(spirometryVolume(2.15, coughing)).toBeCloseTo(base - 0.1, 14);
    expect(spirometryVolume(2.075, coughing)).toBeCloseTo(base - 0.1 * Math.sin(Math.PI / 4) ** 2, 14);
    expect(spirometryVolume(2.3, coughing)).toBeCloseTo(base, 12);
    expect(spirometryVolume(5, coughing)).toBeCloseTo(forcedExhalationVolume(4.3, healthy), 14);
  });

  it("samples 300 points over 15 s at 50 ms, with flat samples on a plateau", () => {
    const curve = spirometryCurve({ ...healthy, coughs: [{ start: 0.5, duration: 0.4 }] });
    expect(curve.length).toBe(300);
    expect(curve[0]).toBe(0);
    for (let i = 10; i <= 18; i++) expect(curve[i]).toBe(curve[10]);
    expect(curve[19]).toBeGreaterThan(curve[18]);
    expect(fev1FromCurve(curve)).toBe(curve[20]);
    expect(fev1FromCurve(curve)).toBeCloseTo(forcedExhalationVolume(0.6, healthy), 14);
    expect(fvcFromCurve(curve)).toBe(curve[299]);
    expect(spirometryCurve(healthy, { interval: 0.01, duration: 2 }).length).toBe(200);
  });

  it("rejects physically impossible parameters, naming them", () => {
    expect(() => spirometryCurve({ fvc: 4, tau: 0.03, rise: 0.04 })).toThrowError(
      "params.tau: expected a time constant > params.rise = 0.04, received 0.03",
    );
    expect(() => spirometryCurve({ fvc: 0, tau: 0.5, rise: 0.04 })).toThrowError("params.fvc: expected a finite number > 0, received 0");
    expect(() =>
      spirometryCurve({ ...healthy, coughs: [{ start: 1, duration: 0.5 }, { start: 1.2, duration: 0.2 }] }),
    ).toThrowError(
      "params.coughs[1].start: expected a time ≥ 1.5 s (the end of params.coughs[0]; coughs are in order and do not overlap), received 1.2",
    );
    expect(() => spirometryCurve({ ...healthy, coughs: [{ start: 0.02, duration: 0.5, dip: 0.5 }] })).toThrowError(
      InvalidArgumentError,
    );
    expect(() => spirometryCurve({ ...healthy, coughs: [{ start: 0.02, duration: 0.5, dip: 0.5 }] })).toThrowError(
      /^params\.coughs\[0\]\.dip: expected at most the 0\.0\d{3} L exhaled when the cough starts, received 0\.5$/,
    );
    expect(() => spirometryCurve(healthy, { interval: 0.05, duration: 14.99 })).toThrowError(
      "sampling.duration: expected a whole number (≥ 2) of sampling intervals of 0.05 s",
    );
  });
});

describe("volumeAt", () => {
  it("interpolates linearly between samples and refuses times outside the curve", () => {
    const curve = [0, 1, 3, 4];
    expect(volumeAt(curve, 0.5, 0.75)).toBe(2);
    expect(volumeAt(curve, 0.5, 1.5)).toBe(4);
    expect(volumeAt(curve, 0.5, 0.5)).toBe(1);
    expect(() => volumeAt(curve, 0.5, 1.6)).toThrowError("time: expected a finite number in [0, 1.5], received 1.6");
    expect(() => fev1FromCurve([0, 1, 2], 0.1)).toThrowError("time: expected a finite number in [0, 0.2");
  });
});

import { describe, expect, it } from "vitest";
import { DEFAULT_FAST_CHECK_SEED, randomFastCheckSeed, resolveFastCheckSeed } from "./fast-check-seed.js";

describe("resolveFastCheckSeed", () => {
  it("gives the fixed default when FC_SEED is unset or blank", () => {
    expect(resolveFastCheckSeed(undefined)).toEqual({ seed: DEFAULT_FAST_CHECK_SEED, source: "default" });
    expect(resolveFastCheckSeed("")).toEqual({ seed: DEFAULT_FAST_CHECK_SEED, source: "default" });
    expect(resolveFastCheckSeed("  ")).toEqual({ seed: DEFAULT_FAST_CHECK_SEED, source: "default" });
  });

  it("takes a signed 32-bit integer as given, including the negative seeds fast-check prints", () => {
    expect(resolveFastCheckSeed("17")).toEqual({ seed: 17, source: "environment" });
    expect(resolveFastCheckSeed("-1466207426")).toEqual({ seed: -1466207426, source: "environment" });
    expect(resolveFastCheckSeed("2147483647").seed).toBe(2147483647);
    expect(resolveFastCheckSeed("-2147483648").seed).toBe(-2147483648);
  });

  it("draws a fresh seed for `random`", () => {
    expect(resolveFastCheckSeed("random", () => 123)).toEqual({ seed: 123, source: "random" });
    expect(resolveFastCheckSeed("RANDOM", () => -5)).toEqual({ seed: -5, source: "random" });
  });

  it("rejects anything else, naming FC_SEED and the value received", () => {
    for (const bad of ["abc", "1.5", "1e3", "0x10", "2147483648", "-2147483649", "12 34"]) {
      expect(() => resolveFastCheckSeed(bad)).toThrow(`FC_SEED must be a signed 32-bit integer or "random"`);
      expect(() => resolveFastCheckSeed(bad)).toThrow(JSON.stringify(bad));
    }
  });
});

describe("randomFastCheckSeed", () => {
  it("draws signed 32-bit integers that vary", () => {
    const seeds = Array.from({ length: 32 }, randomFastCheckSeed);
    for (const s of seeds) {
      expect(Number.isInteger(s)).toBe(true);
      expect(s).toBeGreaterThanOrEqual(-(2 ** 31));
      expect(s).toBeLessThan(2 ** 31);
    }
    expect(new Set(seeds).size).toBeGreaterThan(1);
  });
});

// This package's vitest config loads "@smoothhess/test-setup/fast-check" exactly as the other packages do; these
// tests check what that setup file did to fast-check's global configuration.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_FAST_CHECK_SEED } from "./fast-check-seed.js";

const fromEnvironment = process.env.FC_SEED?.trim();

describe("fast-check setup file", () => {
  it("configures the global seed: the fixed default when FC_SEED is unset, else the seed FC_SEED names", () => {
    const { seed } = fc.readConfigureGlobal();
    if (!fromEnvironment) expect(seed).toBe(DEFAULT_FAST_CHECK_SEED);
    else if (fromEnvironment.toLowerCase() === "random") expect(Number.isInteger(seed)).toBe(true);
    else expect(seed).toBe(Number(fromEnvironment));
  });

  it("makes unseeded generation repeatable: the same values as an explicit run with the configured seed", () => {
    const { seed } = fc.readConfigureGlobal();
    const arbitrary = fc.array(fc.double({ noNaN: true }), { maxLength: 8 });
    const first = fc.sample(arbitrary, 20);
    expect(fc.sample(arbitrary, 20)).toEqual(first);
    expect(fc.sample(arbitrary, { numRuns: 20, seed })).toEqual(first);
  });

  it("still reports the seed and path of a counterexample, and that seed is the configured one", () => {
    const { seed } = fc.readConfigureGlobal();
    let message = "";
    try {
      fc.assert(fc.property(fc.nat(), (n) => n < 1000));
    } catch (error) {
      message = String(error);
    }
    expect(message).toContain(`{ seed: ${seed}, path: "`);
    expect(message).toContain("Counterexample: [1000]");
  });

  it("leaves a seed passed to fc.assert in charge of that property", () => {
    let message = "";
    try {
      fc.assert(fc.property(fc.nat(), (n) => n < 1000), { seed: 17 });
    } catch (error) {
      message = String(error);
    }
    expect(message).toContain(`{ seed: 17, path: "`);
  });
});

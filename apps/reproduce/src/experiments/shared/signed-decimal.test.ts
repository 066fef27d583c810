import { describe, expect, it } from "vitest";
import { signedDecimal } from "./signed-decimal.js";
import { zScore } from "./z-score.js";

describe("signedDecimal", () => {
  it("signs with + and a true minus sign, to one decimal", () => {
    expect(signedDecimal(3)).toBe("+3.0");
    expect(signedDecimal(0)).toBe("+0.0");
    expect(signedDecimal(-1.25)).toBe("−1.3");
    expect(signedDecimal(-0.04)).toBe("−0.0");
  });

  it("prints — for what is not finite", () => {
    expect(signedDecimal(Number.NaN)).toBe("—");
    expect(signedDecimal(Number.POSITIVE_INFINITY)).toBe("—");
  });

  it("is what zScore prints for a difference over its standard error", () => {
    expect(zScore(-3, 2)).toBe("−1.5");
    expect(zScore(1, 0)).toBe("—");
  });
});

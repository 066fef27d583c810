import { describe, expect, it } from "vitest";
import { PMSE_METHODS, type PmseMethod } from "../../paper-numbers/paper-layout.js";
import { claimFigures } from "./claim-figures.js";
import type { PmseTestPoint } from "./results.js";

/** Four points, one radius: every method's P_MSE is `base[method]` times a per-point factor (SP G gets its own). */
function target(base: Record<PmseMethod, number>, spG: readonly number[]) {
  const factors = [0.5, 1, 1.5, 1];
  const points = factors.map((f, i) => ({
    pmse: { law: Object.fromEntries(PMSE_METHODS.map((m) => [m, [m === "SP G" ? spG[i] : base[m] * f]])) },
  })) as unknown as PmseTestPoint[];
  const summary = {
    law: Object.fromEntries(
      PMSE_METHODS.map((m) => {
        const values = points.map((p) => p.pmse.law[m][0]);
        const mean = values.reduce((a, b) => a + b, 0) / values.length;
        const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
        return [m, { mean: [mean], std: [std] }];
      }),
    ),
  } as never;
  return { points, summary };
}

const BASE: Record<PmseMethod, number> = { "SH+SG": 1, SG: 4, "SP (H+G)": 2, "SP G": 4, "SW (H+G)": 3, "SW G": 6, G: 10 };

describe("claimFigures", () => {
  it("prints the first- over second-order ratios of the means", () => {
    const text = claimFigures(target(BASE, [2, 4, 6, 4]), "law", [0.5], () => Number.NaN).join("\n");
    expect(text).toContain("SG ÷ SH+SG 4.00");
    expect(text).toContain("SP G ÷ SP (H+G) 2.00");
    expect(text).toContain("SW G ÷ SW (H+G) 2.00");
  });

  it("gives SP G against SG as a relative difference with the paired z", () => {
    // SG per point: 2, 4, 6, 4; SP G: 2.2, 4.2, 6.2, 4.6 → differences 0.2, 0.2, 0.2, 0.6: mean 0.3, SE 0.1.
    const text = claimFigures(target(BASE, [2.2, 4.2, 6.2, 4.6]), "law", [0.5], () => Number.NaN).join("\n");
    expect(text).toContain("SP G / SG − 1 = +7.5 % (z +3.0)");
  });

  it("measures the distance from the paper's mean in standard errors, with its sign", () => {
    // SH+SG per point 0.5, 1, 1.5, 1: mean 1, sd √(1/6), SE √(1/6)/2 ≈ 0.204; the paper's 1.5 lies 2.4 SE above.
    const text = claimFigures(target(BASE, [2, 4, 6, 4]), "law", [0.5], (m) => (m === "SH+SG" ? 1.5 : Number.NaN)).join("\n");
    expect(text).toContain("SH+SG −2.4");
    expect(text).toContain("SG —");
  });

  it("has nothing to say with fewer than two test points (no standard error)", () => {
    const one = target(BASE, [2, 4, 6, 4]);
    expect(claimFigures({ points: one.points.slice(0, 1), summary: one.summary }, "law", [0.5], () => 1)).toEqual([]);
    expect(claimFigures({ points: [], summary: one.summary }, "law", [0.5], () => 1)).toEqual([]);
  });
});

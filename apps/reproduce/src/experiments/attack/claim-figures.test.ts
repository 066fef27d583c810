import { describe, expect, it } from "vitest";
import { ATTACK_METHODS, type AttackMethod } from "../../paper-numbers/paper-layout.js";
import { attackClaimFigures } from "./claim-figures.js";
import type { AttackDatasetResults, AttackSelection } from "./results.js";

/** Points whose class survived (1) or not (0): `kept[method][point]` at each of two radii. */
function results(kept: Record<AttackMethod, readonly (readonly [number, number])[]>, sigma = [0.01, 0.1], beta = [20, 5]): Pick<AttackDatasetResults, "points" | "selection"> {
  const n = kept["SH+SG"].length;
  const points = Array.from({ length: n }, (_, i) => ({
    outcomes: Object.fromEntries(ATTACK_METHODS.map((m) => [m, { unchanged: [...kept[m][i]], probability: [0.5, 0.5] }])),
  })) as unknown as AttackDatasetResults["points"];
  const choose = (values: number[]): AttackSelection[] => values.map((chosen, e) => ({ radius: e, chosen, curve: [] }));
  return { points, selection: { "SH+SG": choose(sigma), SG: choose(sigma), "SP (H+G)": choose(beta), "SP G": choose(beta) } };
}

/** Every method keeps every point, except where `override` says otherwise. */
function keptAll(n: number, override: Partial<Record<AttackMethod, (readonly [number, number])[]>>): Record<AttackMethod, (readonly [number, number])[]> {
  return Object.fromEntries(ATTACK_METHODS.map((m) => [m, override[m] ?? Array.from({ length: n }, () => [1, 1] as const)])) as Record<AttackMethod, (readonly [number, number])[]>;
}

describe("attackClaimFigures", () => {
  it("counts the radii where SH+SG is strongest, and where it is ahead of every method by two paired SE", () => {
    // ε₁: SH+SG flips 4 of 4, SG 1 of 4 → ahead of all (SG: −0.75, SE 0.25 → z −3.0). ε₂: SH+SG and SG both flip all → tie.
    const kept = keptAll(4, {
      "SH+SG": [[0, 0], [0, 0], [0, 0], [0, 0]],
      SG: [[0, 0], [1, 0], [1, 0], [1, 0]],
    });
    const text = attackClaimFigures(results(kept), [0.25, 1.25]).join("\n");
    expect(text).toContain("strongest attack (lowest post-hoc accuracy, ties included) at 2 of 2 ε, ahead of every other method by ≥ 2 paired SE at 1 of 2");
    expect(text).toContain("SH+SG − SG −75.0 (z −3.0) / +0.0 (z —)");
  });

  it("does not call SH+SG ahead where one method is within two SE of it", () => {
    // SP (H+G) flips 3 of the 4 points SH+SG flips: −0.25, SE 0.25 → z −1.0.
    const kept = keptAll(4, {
      "SH+SG": [[0, 1], [0, 1], [0, 1], [0, 1]],
      "SP (H+G)": [[0, 1], [0, 1], [0, 1], [1, 1]],
    });
    const text = attackClaimFigures(results(kept), [0.25, 1.25]).join("\n");
    expect(text).toContain("at 2 of 2 ε, ahead of every other method by ≥ 2 paired SE at 0 of 2");
    expect(text).toContain("SP (H+G) − SP G −75.0 (z −3.0) / +0.0 (z —)");
  });

  it("prints the vanilla Hessian against SG and G with their signs, and Table 4's trend", () => {
    // H+G keeps 2 of 4 at ε₁ where SG keeps 4 and G keeps 4: H+G − SG = −50 (SE 28.9, z −1.7).
    const kept = keptAll(4, { "H+G": [[0, 1], [0, 1], [1, 1], [1, 1]] });
    const text = attackClaimFigures(results(kept, [0.1, 0.01], [5, 20]), [0.25, 1.25]).join("\n");
    expect(text).toContain("H+G − SG −50.0 (z −1.7) / +0.0 (z —); H+G − G −50.0 (z −1.7) / +0.0 (z —)");
    expect(text).toContain("at 1 of 2 ε"); // H+G is stronger than SH+SG at ε₁
    expect(text).toContain("chosen σ² of SH+SG non-decreasing in ε no (0.1, 0.01), β of SP (H+G) non-increasing no (5, 20)");
    expect(attackClaimFigures(results(kept), [0.25, 1.25]).join("\n")).toContain("non-decreasing in ε yes (0.01, 0.1), β of SP (H+G) non-increasing yes (20, 5)");
  });

  it("is empty for fewer than two points", () => {
    expect(attackClaimFigures(results(keptAll(1, {})), [0.25, 1.25])).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import type { PmseSelection } from "./results.js";
import { sigmaCappedByRule } from "./ordering-notes.js";

/** A three-σ-rule selection at ε = 0.5 with the given (mean, standard error) per candidate, σ ascending. */
function selection(points: readonly (readonly [number, number])[], chosenIndex: number, order: readonly number[] = [0, 1, 2]): PmseSelection {
  const sigmas = [0.5, 0.75, 1].map((f) => (f * 0.5) / 28);
  return {
    radius: 0.5,
    chosen: sigmas[chosenIndex],
    candidates: sigmas,
    curve: order.map((i) => ({ value: sigmas[i], mean: points[i][0], standardError: points[i][1] })),
  };
}

describe("sigmaCappedByRule", () => {
  it("flags a validation curve still falling at the largest σ, beyond the standard errors", () => {
    const capped = sigmaCappedByRule(selection([[3e-5, 1e-6], [1.2e-5, 1e-6], [9e-6, 1e-6]], 2));
    expect(capped).toEqual({ before: 1.2e-5, last: 9e-6 });
  });

  it("reads the curve by σ, whatever order it is stored in", () => {
    expect(sigmaCappedByRule(selection([[3e-5, 1e-6], [1.2e-5, 1e-6], [9e-6, 1e-6]], 2, [2, 0, 1]))).toEqual({ before: 1.2e-5, last: 9e-6 });
  });

  it("does not flag a fall within the standard errors", () => {
    expect(sigmaCappedByRule(selection([[3e-5, 1e-6], [1.2e-5, 3e-6], [9e-6, 3e-6]], 2))).toBeUndefined();
  });

  it("does not flag an optimum inside the grid", () => {
    expect(sigmaCappedByRule(selection([[3e-5, 1e-6], [8e-6, 1e-7], [9e-6, 1e-7]], 1))).toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import type { PmseConfig } from "./config.js";
import type { PmseSelection } from "./results.js";
import { orderingSection, sigmaCappedByRule, type OrderingNote } from "./ordering-notes.js";

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

/** A reversal of SH+SG and SP (H+G) at one ε, SH+SG's validation curve still falling at the rule's largest σ. */
function reversal(where: string, difference: { mean: number; standardError: number }): OrderingNote {
  const falling = selection([[3e-5, 1e-6], [1.2e-5, 1e-6], [9e-6, 1e-6]], 2);
  return {
    where,
    first: "SH+SG",
    second: "SP (H+G)",
    difference,
    paperGap: 0.12,
    noise: { "SH+SG": 1e-9, SG: 1e-11 },
    sigmaCurve: { "SH+SG": falling, SG: falling },
  };
}

const FULL = { samples: 100_000, betas: Array.from({ length: 114 }, (_, i) => i + 1), samplings: ["uniform-ball", "uniform-radius"] } as unknown as PmseConfig;

/** The "likely cause" cell of the section's only row. */
function causeOf(sampling: string, note: OrderingNote, validated: readonly OrderingNote[], config: PmseConfig = FULL): string {
  const row = orderingSection([note], sampling, config, validated)
    .join("\n")
    .split("\n")
    .find((line) => line.startsWith("| MNIST"));
  return row?.split(" | ").at(-1)?.replace(/ \|$/, "") ?? "";
}

describe("orderingSection's likely cause", () => {
  it("calls a difference under two standard errors a tie, whatever else holds", () => {
    expect(causeOf("uniform-ball", reversal("MNIST logit, ε = 1", { mean: 1e-8, standardError: 1e-8 }), [])).toBe("the two are within our test points' noise");
  });

  it("names the validation's ball law first under the law σ and β were not chosen for, even where σ sits at the rule's edge", () => {
    const here = reversal("MNIST neuron, ε = 1", { mean: 1.6e-7, standardError: 4e-8 });
    expect(causeOf("uniform-radius", here, [])).toMatch(/^σ and β were validated with points uniform in the ball .*ordered as the paper orders them$/);
    expect(causeOf("uniform-radius", here, [reversal("MNIST neuron, ε = 1", { mean: 3e-7, standardError: 1e-7 })])).toMatch(/reversed too$/);
  });

  it("reports the rule's edge under the validated law, as a possibility, not a cause measured", () => {
    const cause = causeOf("uniform-ball", reversal("MNIST neuron, ε = 1", { mean: 1.6e-7, standardError: 4e-8 }), []);
    expect(cause).toContain("still falls at the largest σ the three-σ rule offers");
    expect(cause).toContain("may stop short of its optimum");
  });

  it("claims no cause for the authors' checkpoint where nothing else explains a reversal (our trained model: the model)", () => {
    const note = { ...reversal("MNIST logit, ε = 1", { mean: 1e-7, standardError: 1e-8 }), first: "SP (H+G)" as const, second: "SH+SG" as const, paperGap: 0.5 };
    expect(causeOf("uniform-ball", note, [], { ...FULL, model: "authors" })).toMatch(/^not measured: the authors' checkpoint;/);
    expect(causeOf("uniform-ball", note, [], { ...FULL, model: "ours" })).toBe("model and data differ from the paper's (embedded data, our training run)");
  });

  it("blames SmoothHess's own Monte-Carlo noise when it is as large as the gap", () => {
    const noisy = { ...reversal("MNIST logit, ε = 1", { mean: 1e-9, standardError: 1e-10 }), noise: { "SH+SG": 2e-9, SG: 1e-11 } };
    expect(causeOf("uniform-radius", noisy, [])).toMatch(/^SH\+SG's own Monte-Carlo noise/);
  });
});

import { selectHyperparameter } from "@smoothhess/metrics";
import type { AttackConfig } from "./config.js";
import type { AttackDatasetResults, AttackOutcome, AttackSelection } from "./results.js";
import type { AttackValidation } from "./validation.js";

/**
 * σ² and β per radius (App. E.2.2): the lowest validation post-hoc accuracy, ties going to the lower mean probability
 * of the original class, with the validation curve.
 */
export async function selectAttackHyperparameters(
  config: AttackConfig,
  validationRows: readonly number[],
  { smooth, softplus }: AttackValidation,
): Promise<AttackDatasetResults["selection"]> {
  const select = async (candidates: readonly number[], outcomeAt: (c: number, i: number) => AttackOutcome): Promise<AttackSelection[]> => {
    const out: AttackSelection[] = [];
    for (const [e, radius] of config.radii.entries()) {
      // Lowest post-hoc accuracy; ties (frequent with few points) go to the lower mean probability of the class.
      const selection = await selectHyperparameter({
        candidates: candidates.map((_, c) => c),
        validation: validationRows.map((_, i) => i),
        score: (c, i) => outcomeAt(c, i).unchanged[e] + 1e-6 * outcomeAt(c, i).probability[e],
      });
      out.push({
        radius,
        chosen: candidates[selection.best],
        curve: candidates.map((value, c) => {
          const all = validationRows.map((_, i) => outcomeAt(c, i));
          return {
            value,
            accuracy: all.reduce((s, o) => s + o.unchanged[e], 0) / all.length,
            meanProbability: all.reduce((s, o) => s + o.probability[e], 0) / all.length,
          };
        }),
      });
    }
    return out;
  };
  return {
    "SH+SG": await select(config.variances, (c, i) => smooth[c][i].shsg),
    SG: await select(config.variances, (c, i) => smooth[c][i].sg),
    "SP (H+G)": await select(config.betas, (c, i) => softplus[c][i].hg),
    "SP G": await select(config.betas, (c, i) => softplus[c][i].g),
  };
}

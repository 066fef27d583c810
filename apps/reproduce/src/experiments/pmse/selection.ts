import { selectHyperparameter } from "@smoothhess/metrics";
import type { PmseConfig } from "./config.js";
import type { PmseSelection, PmseTargetResults } from "./results.js";
import type { ValidationScores } from "./validation.js";

/**
 * σ and β per radius and method (App. E.2.1): the candidate with the lowest mean validation P_MSE, with its curve.
 * σ candidates are the three-σ rule's of each radius (`sigmaIndex` points into `sigmas`); β candidates the grid.
 */
export async function selectPmseHyperparameters(
  config: PmseConfig,
  validationRows: readonly number[],
  sigmas: readonly number[],
  sigmaIndex: readonly (readonly number[])[],
  { smoothHessScores, surrogateScores }: ValidationScores,
): Promise<PmseTargetResults["selection"]> {
  const indices = validationRows.map((_, i) => i);
  const select = async (candidates: readonly number[], scoreAt: (i: number, c: number) => number): Promise<PmseSelection> => {
    // Candidates are passed by position, so that σ values equal up to rounding cannot be confused.
    const selection = await selectHyperparameter({
      candidates: candidates.map((_, c) => c),
      validation: indices,
      score: (c, i) => scoreAt(i, c),
    });
    return {
      radius: Number.NaN,
      chosen: candidates[selection.best],
      candidates: [...candidates],
      curve: selection.curve.map((p) => ({ value: candidates[p.value], mean: p.mean, standardError: p.standardError })),
    };
  };
  const perRadius = async (
    candidatesAt: (e: number) => readonly number[],
    scoreAt: (e: number, i: number, c: number) => number,
  ): Promise<PmseSelection[]> => {
    const out: PmseSelection[] = [];
    for (const [e, radius] of config.radii.entries()) out.push({ ...(await select(candidatesAt(e), (i, c) => scoreAt(e, i, c))), radius });
    return out;
  };
  const sigmasAt = (e: number) => sigmaIndex[e].map((at) => sigmas[at]);
  const betasAt = () => config.betas;
  return {
    "SH+SG": await perRadius(sigmasAt, (e, i, c) => smoothHessScores[i].shsg[e][c]),
    SG: await perRadius(sigmasAt, (e, i, c) => smoothHessScores[i].sg[e][c]),
    "SP (H+G)": await perRadius(betasAt, (e, i, c) => surrogateScores.softplus[i].hg[e][c]),
    "SP G": await perRadius(betasAt, (e, i, c) => surrogateScores.softplus[i].g[e][c]),
    "SW (H+G)": await perRadius(betasAt, (e, i, c) => surrogateScores.swish[i].hg[e][c]),
    "SW G": await perRadius(betasAt, (e, i, c) => surrogateScores.swish[i].g[e][c]),
  } satisfies PmseTargetResults["selection"];
}

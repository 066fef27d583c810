import type { PairedDifference } from "@smoothhess/metrics";
import { markdownTable, scientific } from "../../markdown-table.js";
import type { PmseMethod } from "../../paper-numbers/paper-layout.js";
import type { PmseConfig } from "./config.js";
import { SAMPLING_NAMES } from "./report-names.js";
import type { PmseSelection } from "./results.js";

/** One ordering disagreement, with the evidence needed to judge it. */
export interface OrderingNote {
  readonly where: string;
  readonly first: PmseMethod;
  readonly second: PmseMethod;
  readonly difference: PairedDifference;
  /** The paper's relative gap between the two, (worse − better)/better. */
  readonly paperGap: number;
  /** Mean Monte-Carlo noise floor of SH+SG and SG in that cell. */
  readonly noise: { readonly "SH+SG": number; readonly SG: number };
  /** SH+SG's and SG's validation curves over the three-σ rule's candidates in that cell (σ ascending). */
  readonly sigmaCurve: { readonly "SH+SG": PmseSelection; readonly SG: PmseSelection };
}

/**
 * The three-σ rule (App. E.2.1) offers SH+SG and SG only σ ∈ {½, ¾, 1}·ε/√d. When the validation P_MSE still falls
 * at the largest candidate (beyond one standard error of the difference), the optimum lies outside the grid: the
 * rule, not the estimator, limits the method there. Returns the two ends of the falling edge, or `undefined`.
 */
export function sigmaCappedByRule(selection: PmseSelection): { readonly before: number; readonly last: number } | undefined {
  const curve = [...selection.curve].sort((a, b) => a.value - b.value);
  if (curve.length < 2) return undefined;
  const last = curve[curve.length - 1];
  const before = curve[curve.length - 2];
  if (selection.chosen !== last.value) return undefined;
  return before.mean - last.mean > Math.hypot(before.standardError, last.standardError) ? { before: before.mean, last: last.mean } : undefined;
}

/** The report section listing every pair of methods ordered against the paper, with its verdict and likely cause. */
export function orderingSection(notes: readonly OrderingNote[], sampling: string, config: PmseConfig, validatedLawNotes: readonly OrderingNote[]): string[] {
  const lines = [`### Where our ordering differs from the paper's (${SAMPLING_NAMES[sampling]})`, ""];
  if (notes.length === 0) return [...lines, "Nowhere: every column orders the methods as the paper does.", ""];
  lines.push(
    "Each row is a pair the paper orders one way and we the other. \"paired difference\" is the mean over test points of",
    "P_MSE(paper's better) − P_MSE(paper's worse), ± its standard error; |difference| < 2 SE means our test points cannot tell the",
    "two apart (a tie within noise), otherwise the reversal is real for our model and points.",
    "",
    markdownTable(
      ["where", "paper: better", "paper: worse", "paired difference", "verdict", "likely cause"],
      notes.map((n) => {
        const within = Math.abs(n.difference.mean) < 2 * n.difference.standardError;
        return [
          n.where,
          n.first,
          n.second,
          `${scientific(n.difference.mean)} ± ${scientific(n.difference.standardError)}`,
          within ? "tie within noise" : "real reversal",
          likelyCause(n, within, config, sampling === config.samplings[0] ? undefined : validatedLawNotes),
        ];
      }),
    ),
    "",
  );
  return lines;
}

/**
 * The explanation of a reversal, from what the checks in `pmse.test.ts`, the validation curves and the
 * neuron-sigma investigation established (see the README section on the P_MSE experiment): the Monte-Carlo error of
 * SmoothHess at small sample sizes; σ and β validated under the other ball law (under a law they were not chosen
 * for, this comes first: the investigation measured it as the cause where the three-σ rule's edge was also
 * reached); the rule's grid; the coarse β grid of `--quick`; ties the paper itself prints within rounding.
 */
function likelyCause(note: OrderingNote, within: boolean, config: PmseConfig, validatedLawNotes?: readonly OrderingNote[]): string {
  const involves = (m: PmseMethod) => note.first === m || note.second === m;
  if (within) return "the two are within our test points' noise";
  for (const m of ["SH+SG", "SG"] as const) {
    // Our SH+SG (or SG) lost: is its own Monte-Carlo noise as large as the gap?
    if (note.first === m && note.noise[m] >= note.difference.mean) {
      return `${m}'s own Monte-Carlo noise (≥ ${scientific(note.noise[m])}) is as large as the gap: ${config.samples.toLocaleString("en")} gradient samples are too few here (paper: 100,000)`;
    }
    if (note.first === m && config.samples < 100_000) {
      return `${m} loses by more than its Monte-Carlo noise floor (${scientific(note.noise[m])}); more samples would shrink it only partly (paper: 100,000 samples, better-trained model)`;
    }
  }
  if (validatedLawNotes) {
    // σ and β were chosen on validation balls of the first law; this law puts the typical point at ε/2.
    const there = validatedLawNotes.find((n) => n.where === note.where && n.first === note.first && n.second === note.second);
    const verdict = there === undefined ? "ordered as the paper orders them" : Math.abs(there.difference.mean) < 2 * there.difference.standardError ? "tied within noise" : "reversed too";
    return `σ and β were validated with ${SAMPLING_NAMES[config.samplings[0]]}, not with this law (typical point at ε/2); under the validated law the same pair is ${verdict}`;
  }
  for (const m of ["SH+SG", "SG"] as const) {
    const capped = note.first === m ? sigmaCappedByRule(note.sigmaCurve[m]) : undefined;
    if (capped) {
      return `${m}'s validation P_MSE still falls at the largest σ the three-σ rule offers, ε/√d (¾: ${scientific(capped.before)} → 1: ${scientific(capped.last)}), so the rule may stop short of its optimum, while β is chosen from ${config.betas.length} values; its own Monte-Carlo noise (${scientific(note.noise[m])}) is below the gap`;
    }
  }
  if (note.paperGap < 0.15) return `the paper's own gap is only ${(100 * note.paperGap).toFixed(0)} %`;
  if ((involves("SP (H+G)") || involves("SW (H+G)") || involves("SP G") || involves("SW G")) && config.betas.length < 50) {
    return `β chosen from ${config.betas.length} values only (paper: 100+)`;
  }
  if (involves("SG") && (involves("SP G") || involves("SW G"))) return "first-order methods the paper itself finds nearly tied";
  // The authors' checkpoint rules the model out as the cause, and this run has measured no other.
  if (config.model === "authors") return "not measured: the authors' checkpoint; the Monte-Carlo draws and the explained points still differ (on FMNIST ours are mostly training images of the checkpoint)";
  return "model and data differ from the paper's (embedded data, our training run)";
}

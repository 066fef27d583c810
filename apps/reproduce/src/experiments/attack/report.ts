import { pairedDifference } from "@smoothhess/metrics";
import { discordantPairs, formatRanking } from "../../method-ordering.js";
import { comparisonLegend, comparisonTable } from "../../model-comparison-table.js";
import { MODEL_LABELS, columnNotes, type ModelComparison } from "../../model-runs.js";
import { markdownTable, scientific } from "../../markdown-table.js";
import { ATTACK_METHODS } from "../../paper-numbers/paper-layout.js";
import { PAPER_TABLE_4 } from "../../paper-numbers/table-4.js";
import { PAPER_TABLE_8 } from "../../paper-numbers/table-8.js";
import { attackClaimFigures } from "./claim-figures.js";
import type { AttackResults } from "./compute.js";
import { SECOND_ORDER_METHODS, type AttackConfig } from "./config.js";
import { dataSourceText, gradientEngineText, surrogateEngineText, trainingCells } from "../shared/setup-notes.js";
import { DATASET_NAMES, fixed1, paperAt, pct } from "./report-names.js";
import type { AttackDatasetResults } from "./results.js";
import { attackComparison, attackGroups, describeAttackDocument, describeAttackRun } from "./report-comparison.js";
import { testPointsText } from "../../test-point-order.js";

/**
 * report.md of an attack run, with the other model's run under the same `--out` (the authors' checkpoints for a run
 * on ours, and vice versa) read from its results.json when it exists.
 */
export async function attackRunReport(config: AttackConfig, results: AttackResults, options: { readonly out: string; readonly model?: string }): Promise<string> {
  return attackReport(config, results, await attackComparison(config, options, results.datasets.map((d) => d.dataset)));
}

/**
 * report.md of an attack run: the setup, Tables 2 / 8 (paper | authors' model | our model, each cell ± SE, with
 * paired differences) and 4 next to the paper's, the reversals, the figure.
 */
export function attackReport(config: AttackConfig, results: AttackResults, comparison: ModelComparison): string {
  const lines: string[] = [];
  lines.push("## Setup", "");
  lines.push(
    markdownTable(
      ["dataset", "training examples", "steps", "train acc.", "val. acc.", "test acc.", "validation points", "test points"],
      results.datasets.map((d) => [
        DATASET_NAMES[d.dataset],
        ...trainingCells(d.model),
        `${pct(d.model.accuracy.train)} %`,
        `${pct(d.model.accuracy.validation)} %`,
        `${pct(d.model.accuracy.test)} %`,
        String(d.validationRows.length),
        String(d.testRows.length),
      ]),
    ),
    "",
    `The function attacked is the SoftMax probability of the class predicted at x₀. σ² is chosen from ${config.variances.length} values` +
      ` (${config.variances.slice(0, 8).join(", ")}${config.variances.length > 8 ? ", …" : ""}) and β from ${config.betas.length} (${config.betas.slice(0, 8).join(", ")}${config.betas.length > 8 ? ", …" : ""}) per ε` +
      " by the lowest validation post-hoc accuracy (ties: the lower mean probability of the original class)." +
      ` SmoothHess / SmoothGrad: ${config.samples.toLocaleString("en")} gradient samples (antithetic, perturbations drawn by ${normalDrawsText(config.normals)}) of ${gradientEngineText(config.engine)}; SoftPlus Hessians` +
      ` exact (${surrogateEngineText(config.engine)}); H+G is the exact SoftMax Hessian of the ReLU network (float64, factored); G exact in float64.` +
      ` Second-order attacks minimise the Taylor model over the ball in the paper's reduced form (eigenpairs carrying T = ${config.energy}` +
      " of Σ|λ|, App. D.1), solved exactly in that subspace (trust-region, no SDP); rows marked \"exact\" solve over the whole ball." +
      " No clipping to the pixel range, as in the paper.",
    "",
    dataSourceText(results.datasets.map((d) => ({ dataset: d.dataset, data: config.models[d.dataset].data })), results.datasets.some((d) => d.model.checkpoint !== undefined)),
    "",
    testPointsText(config.testPointOrder ?? "seeded", config.testPoints),
    "",
  );

  const notes: string[][] = [];
  for (const d of results.datasets) {
    lines.push(`## Table 2 / 8: post-hoc accuracy (%), ${DATASET_NAMES[d.dataset]}`, "");
    const paper = PAPER_TABLE_8[d.dataset];
    config.radii.forEach((radius, e) => {
      const ours = Object.fromEntries(ATTACK_METHODS.map((m) => [m, d.accuracy[m].value[e]]));
      const theirs = Object.fromEntries(ATTACK_METHODS.map((m) => [m, paperAt(d.dataset, config.radii, paper[m], e)]));
      const pairs = discordantPairs(ours, theirs);
      for (const pair of pairs.filter((p) => !p.tie)) {
        const diff = pairedDifference(
          d.points.map((p) => p.outcomes[pair.first].unchanged[e]),
          d.points.map((p) => p.outcomes[pair.second].unchanged[e]),
        );
        const within = !(Math.abs(diff.mean) >= 2 * diff.standardError) || diff.standardError === 0;
        notes.push([
          `${DATASET_NAMES[d.dataset]}, ε = ${radius}`,
          pair.first,
          pair.second,
          `${pct(diff.mean)} ± ${pct(diff.standardError)} pts`,
          within ? "tie within noise" : "real reversal",
          cause(pair.first, pair.second, within, config, d),
        ]);
      }
    });
    const tableOptions = { methods: ATTACK_METHODS, reference: "SH+SG", groupHeader: "ε", scale: 100, format: fixed1, thisRun: comparison.thisRun };
    lines.push(comparisonTable(attackGroups(config, results, d.dataset, comparison), tableOptions), "");
    lines.push(...comparisonLegend(tableOptions, "post-hoc accuracy (1 where the class survived), in percentage points", columnNotes(comparison, describeAttackRun(config), describeAttackDocument), "a stronger attack"));
    lines.push(
      `Order, ${MODEL_LABELS[comparison.thisRun]} (this run; strongest attack first): ${config.radii
        .map((r, e) => `ε=${r}: ${formatRanking(Object.fromEntries(ATTACK_METHODS.map((m) => [m, d.accuracy[m].value[e]])))}`)
        .join("; ")}.`,
      "",
    );
    lines.push(...attackClaimFigures(d, config.radii));
    lines.push(
      "Mean SoftMax probability of the originally predicted class after the attack (lower: stronger). Not in the paper, but a",
      "continuous measure of the same attacks, far less granular than post-hoc accuracy when there are few test points:",
      "",
    );
    const meanProbability = (m: string, e: number) => d.points.reduce((a, p) => a + p.outcomes[m].probability[e], 0) / d.points.length;
    lines.push(
      markdownTable(
        ["method", ...config.radii.map((r) => `ε=${r}`)],
        [...ATTACK_METHODS, ...SECOND_ORDER_METHODS.map((m) => `${m} (exact)`)].map((m) => [m, ...config.radii.map((_, e) => meanProbability(m, e).toFixed(3))]),
      ),
      "",
      `Before the attack: ${(d.points.reduce((a, p) => a + p.probability, 0) / d.points.length).toFixed(3)} on average.`,
      "",
    );
    lines.push("Second-order attacks solved over the whole ball instead of the reduced subspace (same σ², β):", "");
    lines.push(
      markdownTable(
        ["method", ...config.radii.map((r) => `ε=${r} reduced`), ...config.radii.map((r) => `ε=${r} exact`), "k(T) kept (mean)"],
        SECOND_ORDER_METHODS.map((m) => [
          m,
          ...config.radii.map((_, e) => pct(d.accuracy[m].value[e])),
          ...config.radii.map((_, e) => pct(d.accuracy[`${m} (exact)`].value[e])),
          (d.points.reduce((s, p) => s + p.ranks[m].reduce((a, b) => a + b, 0) / p.ranks[m].length, 0) / d.points.length).toFixed(0),
        ]),
      ),
      "",
    );
    lines.push("Chosen σ² (SH+SG, SG) and β (SoftPlus) against Table 4:", "");
    lines.push(
      markdownTable(
        ["method", ...config.radii.flatMap((r) => [`ε=${r} ours`, "paper"])],
        (["SH+SG", "SG", "SP (H+G)", "SP G"] as const).map((m) => [
          m,
          ...d.selection[m].flatMap((s, e) => [m === "SH+SG" || m === "SG" ? scientific(s.chosen) : String(s.chosen), String(paperAt(d.dataset, config.radii, PAPER_TABLE_4[d.dataset][m], e))]),
        ]),
      ),
      "",
    );
  }
  lines.push(
    "## Where our ordering differs from the paper's",
    "",
    "An \"ordering\" cell counts the pairs of methods that we order against the paper (reversed) and those the paper orders but",
    "we tie exactly (same number of flipped points; common with few test points). Every reversal is listed here.",
    "",
  );
  if (notes.length === 0) {
    lines.push("Nowhere: every column orders the methods as the paper does.", "");
  } else {
    lines.push(
      "\"paired difference\" is the mean over test points of (class kept under the paper's stronger attack) − (kept under the weaker),",
      "± its standard error, in percentage points; |difference| < 2 SE means our test points cannot separate the two attacks.",
      "",
      markdownTable(["where", "paper: stronger", "paper: weaker", "paired difference", "verdict", "likely cause"], notes),
      "",
    );
  }
  lines.push(
    "## Figure",
    "",
    "![post-hoc accuracy by ε](attack-accuracy.png)",
    "",
    "Top: Table 8 as curves. Bottom: how much further each attack pushes the mean probability of the original class than the",
    "gradient attack does (the continuous measure above, relative to G), which separates attacks whose post-hoc accuracies tie.",
    "",
  );
  return lines.join("\n");
}

function cause(first: string, second: string, within: boolean, config: AttackConfig, d: AttackDatasetResults): string {
  if (within) return `the two are within the noise of ${d.points.length} test points`;
  const smooth = (m: string) => m === "SH+SG" || m === "SG";
  const validated = (m: string) => smooth(m) || m.startsWith("SP");
  if ((smooth(first) || smooth(second)) && config.samples < 100_000) {
    return `SmoothHess/SmoothGrad from ${config.samples.toLocaleString("en")} samples (paper: 100,000)`;
  }
  if ((validated(first) || validated(second)) && d.validationRows.length < 50) {
    return `σ²/β chosen on ${d.validationRows.length} validation points from ${config.variances.length}/${config.betas.length} values (paper: 200 points, 28/46 values)`;
  }
  if (config.model === "authors") {
    // The authors' checkpoint rules the model out as the cause, and this run has measured no other.
    const points =
      d.dataset === "fmnist" && config.models.fmnist.data.startsWith("fashion-mnist@")
        ? "test points (ours are mostly training images of the checkpoint)"
        : config.testPointOrder === "first"
          ? "test points"
          : "test points drawn";
    const setup = `${config.samples.toLocaleString("en")} gradient samples and ${d.validationRows.length} validation points (paper: 100,000 and 200)`;
    return `not measured: the authors' checkpoint, ${setup}; the Monte-Carlo draws, the ${points} and the attack's solver still differ`;
  }
  return "our model differs from the paper's (embedded data, our training run)";
}

/** How the report names the perturbations' normal-draw method (`normals` of `@smoothhess/stein`). */
function normalDrawsText(normals: AttackConfig["normals"]): string {
  return normals === "ziggurat" ? "the ziggurat method" : "Box–Muller";
}

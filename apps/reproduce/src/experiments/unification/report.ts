import { normalCdf } from "@smoothhess/oracle";
import { markdownTable, scientific } from "../../markdown-table.js";
import type { UnificationDatasetResult, UnificationResults, UnificationRow } from "./compute.js";
import type { UnificationConfig } from "./config.js";

/** Agarwal et al. (2021) §6, quoted: what each of their statements says, to put ours beside. */
export const AGARWAL_STATEMENTS = {
  accuracy: "99.50 % test accuracy on Simulated (15 epochs) (§6.1)",
  equivalenceFalls: "the average L1 distance between SmoothGrad and C-LIME decreases as the number of perturbations grows (§6.2, Fig. 2)",
  equivalenceAt100: "equivalence is achieved at as low as 100 perturbations (§6.2)",
  robustnessFalls: "the average maximum distance approaches zero (§6.3, Fig. 3)",
  smoothGradMoreRobust: "SmoothGrad appears to be more robust than C-LIME (§6.3, Fig. 3)",
  smallerSigmaEquivalence: "SmoothGrad and C-LIME converge to equivalence faster for smaller σ² (§6.4, Fig. 4a)",
  smallerSigmaRobustness: "both achieve robustness faster for smaller σ² (§6.4, Fig. 4b–c)",
  lipschitz: "SmoothGrad and C-LIME are L-Lipschitz with L = ∇f_max/(2σ) (Thm. 2)",
} as const;

const TITLES: Record<string, string> = { simulated: "Simulated", "online-shopping": "Online Shopping", bankruptcy: "Bankruptcy" };

function trend(rows: readonly UnificationRow[], value: (r: UnificationRow) => number | null): { first: number; last: number; nFirst: number; nLast: number; falls: number; steps: number } {
  const kept = rows.filter((r) => value(r) !== null);
  let falls = 0;
  for (let i = 1; i < kept.length; i++) if (value(kept[i])! < value(kept[i - 1])!) falls++;
  return { first: value(kept[0])!, last: value(kept[kept.length - 1])!, nFirst: kept[0].n, nLast: kept[kept.length - 1].n, falls, steps: kept.length - 1 };
}

function describeTrend(t: ReturnType<typeof trend>): string {
  return `${scientific(t.first)} at n = ${t.nFirst} → ${scientific(t.last)} at n = ${t.nLast} (×${(t.last / t.first).toPrecision(2)}); falls in ${t.falls} of ${t.steps} steps`;
}

function nearest(rows: readonly UnificationRow[], n: number): UnificationRow {
  return rows.reduce((best, r) => (Math.abs(Math.log(r.n / n)) < Math.abs(Math.log(best.n / n)) ? r : best));
}

function datasetSection(config: UnificationConfig, ds: UnificationDatasetResult): string {
  const s1 = ds.sigma.find((s) => s.sigma2 === 1) ?? ds.sigma[ds.sigma.length - 1];
  const rows = s1.rows;
  const eq = trend(rows, (r) => r.equivalence.smoothGradCLime);
  const rsg = trend(rows, (r) => r.robustness.smoothGrad);
  const rcl = trend(rows, (r) => r.robustness.cLime);
  const both = rows.filter((r) => r.robustness.cLime !== null);
  const sgWins = both.filter((r) => r.robustness.smoothGrad < r.robustness.cLime!).length;
  const at100 = nearest(rows, 100);
  const allRows = ds.sigma.flatMap((s) => s.rows).filter((r) => r.noise.cLime !== null);
  const noiseWins = allRows.filter((r) => r.noise.smoothGrad < r.noise.cLime!).length;
  const noiseCells = allRows.length;
  const lastRow = rows[rows.length - 1];
  const middle = nearest(rows, 100).n;
  const perSigma = (pick: (r: UnificationRow) => number | null) =>
    ds.sigma.map((s) => `σ² = ${s.sigma2}: ${scientific(pick(s.rows.find((r) => r.n === middle)!))}`).join(", ");
  const eqSigma = ds.sigma.map((s) => s.rows.find((r) => r.n === middle)!.equivalence.smoothGradCLime ?? NaN);
  const robSigma = ds.sigma.map((s) => s.rows.find((r) => r.n === middle)!.robustness.smoothGrad);
  const increasing = (v: number[]) => v.every((x, i) => i === 0 || x >= v[i - 1]);
  const sh = trend(rows, (r) => r.equivalence.smoothHessZerothOrder);
  const shWins = rows.filter((r) => r.robustness.smoothHess < r.robustness.zerothOrderHess).length;

  const statements: string[][] = [];
  if (ds.name === "simulated") {
    const bayes = 1 - normalCdf(-Math.SQRT2);
    statements.push([
      AGARWAL_STATEMENTS.accuracy,
      `${(100 * ds.testAccuracy).toFixed(1)} % (train ${(100 * ds.trainAccuracy).toFixed(1)} %, ${ds.epochs} epochs). The data as §6.1 describes them have Bayes accuracy 1 − Φ(−√2) = ${(100 * bayes).toFixed(1)} %, so 99.5 % is not reachable on them`,
    ]);
  } else {
    statements.push(["test accuracy (§6.1)", `${(100 * ds.testAccuracy).toFixed(1)} % (${ds.epochs} epochs, d = ${ds.d})`]);
  }
  statements.push(
    [AGARWAL_STATEMENTS.equivalenceFalls, describeTrend(eq)],
    [AGARWAL_STATEMENTS.equivalenceAt100, `at n = ${at100.n}: ${scientific(at100.equivalence.smoothGradCLime)}, ${((100 * (at100.equivalence.smoothGradCLime ?? NaN)) / eq.first).toFixed(0)} % of its n = ${eq.nFirst} value and ${((at100.equivalence.smoothGradCLime ?? NaN) / eq.last).toPrecision(2)}× its n = ${eq.nLast} value`],
    [AGARWAL_STATEMENTS.robustnessFalls, `SmoothGrad ${describeTrend(rsg)}; C-LIME ${describeTrend(rcl)}`],
    [
      AGARWAL_STATEMENTS.smoothGradMoreRobust,
      `SmoothGrad below C-LIME at ${sgWins} of ${both.length} values of n (σ² = ${s1.sigma2}); at n = ${lastRow.n}: ${scientific(lastRow.robustness.smoothGrad)} vs ${scientific(lastRow.robustness.cLime)}. ` +
        `In expectation both are the same map (Thm. 1), so only estimator noise can separate them: SmoothGrad's noise is below C-LIME's in ${noiseWins} of ${noiseCells} (σ², n) cells`,
    ],
    [AGARWAL_STATEMENTS.smallerSigmaEquivalence, `at n = ${middle}: ${perSigma((r) => r.equivalence.smoothGradCLime)} — ${increasing(eqSigma) ? "smaller for smaller σ²" : "not ordered by σ²"}`],
    [AGARWAL_STATEMENTS.smallerSigmaRobustness, `SmoothGrad at n = ${middle}: ${perSigma((r) => r.robustness.smoothGrad)} — ${increasing(robSigma) ? "smaller for smaller σ²" : "not ordered by σ²"}; C-LIME: ${perSigma((r) => r.robustness.cLime)}`],
    [
      AGARWAL_STATEMENTS.lipschitz,
      ds.sigma
        .map((s) => `σ² = ${s.sigma2}: measured ${scientific(s.lipschitz.smoothGrad)} ≤ sharp bound 4φ(1)F/σ² = ${scientific(s.lipschitz.smoothGradBound)} (Wang's 2F/σ² = ${scientific(s.lipschitz.smoothGradBoundWang)})`)
        .join("; "),
    ],
    [
      "(not in the paper) SmoothHess vs the zeroth-order Stein Hessian, the Hessian analogue of Fig. 2",
      `${describeTrend(sh)}; SmoothHess more robust than the zeroth-order Hessian at ${shWins} of ${rows.length} values of n`,
    ],
    [
      "(not in the paper) SmoothHess Lipschitz bound (metrics README)",
      ds.sigma.map((s) => `σ² = ${s.sigma2}: measured ${scientific(s.lipschitz.smoothHess)} ≤ bound 1.51F/σ³ = ${scientific(s.lipschitz.smoothHessBound)}`).join("; "),
    ],
  );

  const table = markdownTable(
    ["σ²", "n", "L1(SG, C-LIME)", "‖SH − ZO‖_F", "rob. SG", "rob. C-LIME", "rob. SH", "rob. ZO", "noise SG", "noise C-LIME"],
    ds.sigma.flatMap((s) =>
      s.rows.map((r) => [
        String(s.sigma2),
        String(r.n),
        scientific(r.equivalence.smoothGradCLime),
        scientific(r.equivalence.smoothHessZerothOrder),
        scientific(r.robustness.smoothGrad),
        scientific(r.robustness.cLime),
        scientific(r.robustness.smoothHess),
        scientific(r.robustness.zerothOrderHess),
        scientific(r.noise.smoothGrad),
        scientific(r.noise.cLime),
      ]),
    ),
  );
  return [
    `## ${TITLES[ds.name]} (d = ${ds.d}, ${ds.trainSize} train / ${ds.testSize} test, ${ds.points} explained points)`,
    "",
    markdownTable(["Agarwal et al.", "ours"], statements, ["l", "l"]),
    "",
    "Every number: mean over the explained test points. rob. = average over points of the max distance to the",
    `${config.neighbours} neighbours x' ~ N(x, ${config.neighbourVariance} I) (L1 for vectors, Frobenius for matrices);`,
    "noise = distance between two explanations of the same x with different seeds (the estimator's own noise).",
    "",
    table,
  ].join("\n");
}

/** report.md of a unification run. */
export function unificationReport(config: UnificationConfig, results: UnificationResults, figures: readonly string[]): string {
  const png = figures.filter((f) => f.endsWith(".png"));
  return [
    "Agarwal et al. (2021), *Towards the Unification and Robustness of Perturbation and Gradient Based Explanations*, §6:",
    `a ${config.hidden.length}-layer ELU network (${config.hidden.join("-")} units) explained at its class-1 probability; SmoothGrad and`,
    "C-LIME (and SmoothHess with the zeroth-order Stein Hessian as its perturbation-based counterpart) with plain",
    "Monte-Carlo perturbations N(x, σ²I), independent seeds at every point.",
    "",
    ...png.map((f) => `![${f}](${f})`),
    "",
    ...results.datasets.map((ds) => datasetSection(config, ds)),
    "",
    "F = ½ in the bounds: f is a probability, and |f − ½| ≤ ½. \"measured\" is the largest ratio ‖E(x') − E(x)‖/‖x' − x‖",
    `over points and neighbours at n = ${config.perturbations[config.perturbations.length - 1]} with common random numbers (L2 for SmoothGrad, spectral`,
    "norm for SmoothHess). The paper's own constant ∇f_max/(2σ) is not a valid bound (metrics README, \"Robustness bounds\").",
  ].join("\n");
}

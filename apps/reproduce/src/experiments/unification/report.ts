import { normalCdf } from "@smoothhess/oracle";
import { markdownTable, scientific } from "../../markdown-table.js";
import type { MeanAndError, UnificationDatasetResult, UnificationResults, UnificationRow } from "./results.js";
import type { UnificationConfig } from "./config.js";

/** Agarwal et al. (2021) §6, quoted: what each of their statements says, to put ours beside. */
export const AGARWAL_STATEMENTS = {
  accuracy: "99.50 % test accuracy on Simulated (15 epochs) (§6.1)",
  equivalenceFalls: "the average L1 distance between SmoothGrad and C-LIME decreases as the number of perturbations grows (§6.2, Fig. 2)",
  equivalenceAt100: "equivalence is achieved at as low as 100 perturbations (§6.2)",
  robustnessProtocol:
    "\"we first take each instance x in the testing splits and generate 10 nearby neighbors x' ~ N(x, 0.01I). We compute explanations for each original instance and its neighbors by perturbations using σ² = 1. [...] We take the maximum of these distances and then take the average of these maximum distances over the entire testing split\" (§6.3)",
  robustnessFalls: "the average maximum distance approaches zero (§6.3, Fig. 3)",
  smoothGradMoreRobust:
    "\"SmoothGrad appears to be more robust than C-LIME, with the average maximum distance saturating even closer to 0 than C-LIME. [...] This suggests that SmoothGrad is more robust than C-LIME for fixed finite perturbations\" (§6.3, Fig. 3)",
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

/** Two standard errors: the margin below which a paired difference is not a difference. */
const MARGIN_IN_STANDARD_ERRORS = 2;

/** Which of the two methods a paired difference `second − first` favours, with its z score. */
export function robustnessVerdict(difference: MeanAndError, first: string, second: string): { winner: string | null; z: number; text: string } {
  const z = difference.mean / difference.standardError;
  const winner = z > MARGIN_IN_STANDARD_ERRORS ? first : z < -MARGIN_IN_STANDARD_ERRORS ? second : null;
  return { winner, z, text: `${winner ?? "tie"} (z = ${Number.isFinite(z) ? z.toFixed(1) : "—"})` };
}

const withError = (m: number | null, se: number | null) => (m === null ? "—" : `${scientific(m)} ± ${scientific(se)}`);

function nearest(rows: readonly UnificationRow[], n: number): UnificationRow {
  return rows.reduce((best, r) => (Math.abs(Math.log(r.n / n)) < Math.abs(Math.log(best.n / n)) ? r : best));
}

function datasetSection(config: UnificationConfig, ds: UnificationDatasetResult): string {
  const s1 = ds.sigma.find((s) => s.sigma2 === 1) ?? ds.sigma[ds.sigma.length - 1];
  const rows = s1.rows;
  const eq = trend(rows, (r) => r.equivalence.smoothGradCLime);
  const rsg = trend(rows, (r) => r.robustness.smoothGrad);
  const rcl = trend(rows, (r) => r.robustness.cLime);
  const cells = ds.sigma.flatMap((s) => s.rows.filter((r) => r.robustnessDifference.cLimeMinusSmoothGrad !== null).map((r) => ({ sigma2: s.sigma2, row: r })));
  const verdicts = cells.map((c) => robustnessVerdict(c.row.robustnessDifference.cLimeMinusSmoothGrad!, "SmoothGrad", "C-LIME"));
  const count = (who: string | null) => verdicts.filter((v) => v.winner === who).length;
  const atS1 = cells.filter((c) => c.sigma2 === s1.sigma2);
  const s1Verdicts = atS1.map((c) => `n = ${c.row.n}: ${robustnessVerdict(c.row.robustnessDifference.cLimeMinusSmoothGrad!, "SmoothGrad", "C-LIME").text}`);
  const varianceRatio = (r: UnificationRow) => (r.variancePerSample.cLime ?? NaN) / r.variancePerSample.smoothGrad;
  const ratioRange = (rs: readonly UnificationRow[]) => {
    const v = rs.filter((r) => r.variancePerSample.cLime !== null).map(varianceRatio);
    return `${Math.min(...v).toPrecision(2)}–${Math.max(...v).toPrecision(2)}`;
  };
  const at100 = nearest(rows, 100);
  const lastRow = rows[rows.length - 1];
  const middle = nearest(rows, 100).n;
  const perSigma = (pick: (r: UnificationRow) => number | null) =>
    ds.sigma.map((s) => `σ² = ${s.sigma2}: ${scientific(pick(s.rows.find((r) => r.n === middle)!))}`).join(", ");
  const eqSigma = ds.sigma.map((s) => s.rows.find((r) => r.n === middle)!.equivalence.smoothGradCLime ?? NaN);
  const robSigma = ds.sigma.map((s) => s.rows.find((r) => r.n === middle)!.robustness.smoothGrad);
  const increasing = (v: number[]) => v.every((x, i) => i === 0 || x >= v[i - 1]);
  const sh = trend(rows, (r) => r.equivalence.smoothHessZerothOrder);
  const shCells = ds.sigma.flatMap((s) => s.rows);
  const shWins = shCells.filter((r) => robustnessVerdict(r.robustnessDifference.zerothOrderMinusSmoothHess, "SmoothHess", "zeroth-order").winner === "SmoothHess").length;

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
    [
      AGARWAL_STATEMENTS.robustnessProtocol,
      config.draws === "independent"
        ? `the same: ${config.neighbours} neighbours x' ~ N(x, ${config.neighbourVariance} I), a fresh perturbation sample for x and for every x' (independent seeds), max L1 distance, averaged over ${ds.points} test points`
        : `NOT the paper's protocol: the same perturbation draws at x and at every x' (common random numbers), which cancels the estimators' noise`,
    ],
    [
      AGARWAL_STATEMENTS.robustnessFalls,
      `SmoothGrad ${describeTrend(rsg)}; C-LIME ${describeTrend(rcl)}. Not to zero: towards the change of the smoothed map itself over the neighbours, ${scientific(s1.mapChange.smoothGrad)} (common draws, n = ${lastRow.n})`,
    ],
    [
      AGARWAL_STATEMENTS.smoothGradMoreRobust,
      `${count("SmoothGrad") > cells.length / 2 ? "Reproduced" : "Not reproduced"} on ${TITLES[ds.name]} (d = ${ds.d}): SmoothGrad more robust by more than ${MARGIN_IN_STANDARD_ERRORS} standard errors (paired over points) in ${count("SmoothGrad")} of ${cells.length} (σ², n) cells, C-LIME in ${count("C-LIME")}, a tie in ${count(null)}. ` +
        `At σ² = ${s1.sigma2} (Fig. 3): ${s1Verdicts.join("; ")}. ` +
        `Why so close: in expectation the two are the same map (Thm. 1), so the robustness distance is that map's change (floor ${ds.sigma.map((s) => `σ² = ${s.sigma2}: ${scientific(s.mapChange.smoothGrad)}`).join(", ")}) plus each estimator's noise, and only the noise can differ. ` +
        `C-LIME's variance per perturbation is ${ds.sigma.map((s) => `${ratioRange(s.rows)}× SmoothGrad's at σ² = ${s.sigma2}`).join(", ")} (d = ${ds.d}); its noise exceeds the map's change only at small n. ` +
        "The gap grows with the dimension (dimension sweep below)",
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
      `${describeTrend(sh)}; SmoothHess more robust than the zeroth-order Hessian by more than ${MARGIN_IN_STANDARD_ERRORS} standard errors in ${shWins} of ${shCells.length} (σ², n) cells`,
    ],
    [
      "(not in the paper) SmoothHess Lipschitz bound (metrics README)",
      ds.sigma.map((s) => `σ² = ${s.sigma2}: measured ${scientific(s.lipschitz.smoothHess)} ≤ bound 1.51F/σ³ = ${scientific(s.lipschitz.smoothHessBound)}`).join("; "),
    ],
  );

  const diff = (d: MeanAndError | null) => (d === null ? "—" : `${scientific(d.mean)} ± ${scientific(d.standardError)}`);
  const vectorTable = markdownTable(
    ["σ²", "n", "L1(SG, C-LIME)", "rob. SG", "rob. C-LIME", "C-LIME − SG", "more robust", "v SG", "v C-LIME"],
    ds.sigma.flatMap((s) =>
      s.rows.map((r) => [
        String(s.sigma2),
        String(r.n),
        scientific(r.equivalence.smoothGradCLime),
        withError(r.robustness.smoothGrad, r.robustnessStandardError.smoothGrad),
        withError(r.robustness.cLime, r.robustnessStandardError.cLime),
        diff(r.robustnessDifference.cLimeMinusSmoothGrad),
        r.robustnessDifference.cLimeMinusSmoothGrad ? robustnessVerdict(r.robustnessDifference.cLimeMinusSmoothGrad, "SmoothGrad", "C-LIME").text : "—",
        scientific(r.variancePerSample.smoothGrad),
        scientific(r.variancePerSample.cLime),
      ]),
    ),
  );
  const matrixTable = markdownTable(
    ["σ²", "n", "‖SH − ZO‖_F", "rob. SH", "rob. ZO", "ZO − SH", "more robust", "v SH", "v ZO"],
    ds.sigma.flatMap((s) =>
      s.rows.map((r) => [
        String(s.sigma2),
        String(r.n),
        scientific(r.equivalence.smoothHessZerothOrder),
        withError(r.robustness.smoothHess, r.robustnessStandardError.smoothHess),
        withError(r.robustness.zerothOrderHess, r.robustnessStandardError.zerothOrderHess),
        diff(r.robustnessDifference.zerothOrderMinusSmoothHess),
        robustnessVerdict(r.robustnessDifference.zerothOrderMinusSmoothHess, "SmoothHess", "zeroth-order").text,
        scientific(r.variancePerSample.smoothHess),
        scientific(r.variancePerSample.zerothOrderHess),
      ]),
    ),
  );
  return [
    `## ${TITLES[ds.name]} (d = ${ds.d}, ${ds.trainSize} train / ${ds.testSize} test, ${ds.points} explained points)`,
    "",
    markdownTable(["Agarwal et al.", "ours"], statements, ["l", "l"]),
    "",
    "Every number: mean over the explained test points (± its standard error). rob. = average over points of the max",
    `distance to the ${config.neighbours} neighbours x' ~ N(x, ${config.neighbourVariance} I) (L1 for vectors, Frobenius for matrices), ${config.draws === "independent" ? "a fresh perturbation sample per explanation" : "the same draws at x and every x'"}.`,
    "C-LIME − SG: the paired difference of the robustness over the points ± its standard error; \"more robust\" names a",
    `method only when it is more than ${MARGIN_IN_STANDARD_ERRORS} standard errors apart. v = n · tr Cov of the estimator at a fixed x (variance per`,
    "perturbation), from two explanations of each x with different seeds.",
    "",
    vectorTable,
    "",
    matrixTable,
  ].join("\n");
}

function dimensionSection(sweep: UnificationResults["dimensionSweep"]): string {
  const rows = sweep.rows;
  const verdict = (r: (typeof rows)[number]) => robustnessVerdict(r.robustnessDifference.cLimeMinusSmoothGrad!, "SmoothGrad", "C-LIME");
  const ratio = (r: (typeof rows)[number]) => (r.variancePerSample.cLime! / r.variancePerSample.smoothGrad).toPrecision(2);
  const statements = [
    [
      AGARWAL_STATEMENTS.smoothGradMoreRobust,
      `SmoothGrad more robust by more than ${MARGIN_IN_STANDARD_ERRORS} standard errors at d ∈ {${rows.filter((r) => verdict(r).winner === "SmoothGrad").map((r) => r.d).join(", ")}}, not at d ∈ {${rows.filter((r) => verdict(r).winner !== "SmoothGrad").map((r) => r.d).join(", ")}}. ` +
        rows.map((r) => `d = ${r.d}: ${verdict(r).text}, C-LIME's variance per perturbation ${ratio(r)}× SmoothGrad's`).join("; "),
    ],
  ];
  const table = markdownTable(
    ["d", "test accuracy", "rob. SG", "rob. C-LIME", "C-LIME − SG", "more robust", "v SG", "v C-LIME", "v C-LIME / v SG"],
    rows.map((r) => [
      String(r.d),
      `${(100 * r.testAccuracy).toFixed(1)} %`,
      withError(r.robustness.smoothGrad, r.robustnessStandardError.smoothGrad),
      withError(r.robustness.cLime, r.robustnessStandardError.cLime),
      `${scientific(r.robustnessDifference.cLimeMinusSmoothGrad!.mean)} ± ${scientific(r.robustnessDifference.cLimeMinusSmoothGrad!.standardError)}`,
      verdict(r).text,
      scientific(r.variancePerSample.smoothGrad),
      scientific(r.variancePerSample.cLime),
      ratio(r),
    ]),
  );
  return [
    `## Dimension sweep (not in the paper): Simulated padded with d − 2 irrelevant N(0, 1) features, σ² = ${sweep.sigma2}, n = ${sweep.n}`,
    "",
    "Online Shopping (d = 11) and Bankruptcy (d = 15) are not reachable offline, so their dimensions are stood in for by",
    "Simulated's two informative features plus irrelevant ones (the same network, training and protocol as above).",
    "Least squares spreads the misfit of f over the whole neighbourhood into every coefficient, so C-LIME's variance",
    "grows with d, while SmoothGrad averages gradients whose irrelevant coordinates vary little (v columns).",
    "",
    markdownTable(["Agarwal et al.", "ours"], statements, ["l", "l"]),
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
    `Monte-Carlo perturbations N(x, σ²I), ${config.draws === "independent" ? "a fresh sample (independent seed) for every explanation, as §6.3 describes" : "common random numbers (the same draws at x and at every neighbour)"}.`,
    "",
    ...png.map((f) => `![${f}](${f})`),
    "",
    ...results.datasets.map((ds) => datasetSection(config, ds)),
    "",
    ...(results.dimensionSweep.rows.length > 0 ? [dimensionSection(results.dimensionSweep), ""] : []),
    "F = ½ in the bounds: f is a probability, and |f − ½| ≤ ½. \"measured\" is the largest ratio ‖E(x') − E(x)‖/‖x' − x‖",
    `over points and neighbours at n = ${config.perturbations[config.perturbations.length - 1]} with common random numbers (L2 for SmoothGrad, spectral`,
    "norm for SmoothHess). The paper's own constant ∇f_max/(2σ) is not a valid bound (metrics README, \"Robustness bounds\").",
  ].join("\n");
}

import { join } from "node:path";
import { renderChart } from "../../plot.js";
import type { UnificationResults } from "./results.js";

const DATASET_TITLES: Record<string, string> = { simulated: "Simulated", "online-shopping": "Online Shopping", bankruptcy: "Bankruptcy" };

function logX(title: string) {
  return { field: "n", type: "quantitative" as const, scale: { type: "log" as const }, title };
}

/**
 * Figs. 2–4 of Agarwal et al. and their SmoothHess counterparts, as SVG + PNG in `directory`:
 * `figure-2` (equivalence vs n, σ² = 1), `figure-3` (robustness vs n, σ² = 1), `figure-4` (the σ² sweep of the first
 * dataset: equivalence, robustness of SmoothGrad, of C-LIME), `figure-smoothhess` (the same three panels for
 * SmoothHess vs the zeroth-order Stein Hessian).
 */
export async function renderUnificationFigures(directory: string, results: UnificationResults): Promise<string[]> {
  const files: string[] = [];
  const atSigma1 = results.datasets.flatMap((ds) =>
    (ds.sigma.find((s) => s.sigma2 === 1)?.rows ?? []).map((r) => ({ ...r, dataset: DATASET_TITLES[ds.name] })),
  );

  await renderChart(
    {
      title: { text: "Fig. 2: SmoothGrad vs C-LIME, σ² = 1", subtitle: "mean L1 distance over the explained test points" },
      width: 360,
      height: 260,
      data: { values: atSigma1.filter((r) => r.equivalence.smoothGradCLime !== null).map((r) => ({ n: r.n, dataset: r.dataset, distance: r.equivalence.smoothGradCLime })) },
      mark: { type: "line", point: true },
      encoding: {
        x: logX("number of perturbations n"),
        y: { field: "distance", type: "quantitative", scale: { type: "log" }, title: "L1(SmoothGrad, C-LIME)" },
        color: { field: "dataset", type: "nominal", title: "dataset" },
      },
    },
    join(directory, "figure-2"),
  );
  files.push("figure-2.svg", "figure-2.png");

  const atSigma1Floors = new Map(results.datasets.map((ds) => [DATASET_TITLES[ds.name], ds.sigma.find((s) => s.sigma2 === 1)?.mapChange.smoothGrad]));
  const floorLabel = "map change (common draws)";
  const robustness = atSigma1.flatMap((r) => [
    { n: r.n, dataset: r.dataset, method: "SmoothGrad", distance: r.robustness.smoothGrad, se: r.robustnessStandardError.smoothGrad },
    ...(r.robustness.cLime !== null ? [{ n: r.n, dataset: r.dataset, method: "C-LIME", distance: r.robustness.cLime, se: r.robustnessStandardError.cLime! }] : []),
    ...(atSigma1Floors.get(r.dataset) !== undefined ? [{ n: r.n, dataset: r.dataset, method: floorLabel, distance: atSigma1Floors.get(r.dataset)!, se: 0 }] : []),
  ]).map((row) => ({ ...row, low: row.distance - row.se, high: row.distance + row.se }));
  const methodColour = { domain: ["SmoothGrad", "C-LIME", floorLabel], range: ["#1f77b4", "#d62728", "#7f7f7f"] };
  await renderChart(
    {
      title: {
        text: "Fig. 3: robustness, σ² = 1",
        subtitle: ["average over points of the max L1 distance to 10 neighbours x' ~ N(x, 0.01 I), ± 1 standard error;", "a fresh perturbation sample per explanation; grey: the smoothed map's own change"],
      },
      data: { values: robustness },
      facet: { column: { field: "dataset", type: "nominal", title: null } },
      spec: {
        width: 300,
        height: 240,
        encoding: {
          x: logX("number of perturbations n"),
          color: { field: "method", type: "nominal", scale: methodColour, title: "method", legend: { labelLimit: 400 } },
        },
        layer: [
          {
            mark: { type: "line", point: true },
            encoding: {
              y: { field: "distance", type: "quantitative", scale: { type: "log" }, title: "avg. max L1 distance" },
              strokeDash: { condition: { test: `datum.method === '${floorLabel}'`, value: [4, 3] }, value: [1, 0] },
            },
          },
          { mark: { type: "rule" }, encoding: { y: { field: "low", type: "quantitative" }, y2: { field: "high" } } },
        ],
      },
    },
    join(directory, "figure-3"),
  );
  files.push("figure-3.svg", "figure-3.png");

  const first = results.datasets[0];
  const sweep = first.sigma.flatMap((s) => s.rows.map((r) => ({ ...r, sigma2: `σ² = ${s.sigma2}` })));
  const panel = (title: string, field: (r: (typeof sweep)[number]) => number | null, yTitle: string) => ({
    title,
    width: 260,
    height: 220,
    data: { values: sweep.filter((r) => field(r) !== null).map((r) => ({ n: r.n, sigma2: r.sigma2, distance: field(r) })) },
    mark: { type: "line" as const, point: true },
    encoding: {
      x: logX("number of perturbations n"),
      y: { field: "distance", type: "quantitative" as const, scale: { type: "log" as const }, title: yTitle },
      color: { field: "sigma2", type: "nominal" as const, title: "σ²" },
    },
  });
  await renderChart(
    {
      title: { text: `Fig. 4: sensitivity to σ² (${DATASET_TITLES[first.name]})` },
      hconcat: [
        panel("(a) equivalence", (r) => r.equivalence.smoothGradCLime, "L1(SmoothGrad, C-LIME)"),
        panel("(b) robustness of SmoothGrad", (r) => r.robustness.smoothGrad, "avg. max L1 distance"),
        panel("(c) robustness of C-LIME", (r) => r.robustness.cLime, "avg. max L1 distance"),
      ],
      resolve: { scale: { y: "shared" } },
    },
    join(directory, "figure-4"),
  );
  files.push("figure-4.svg", "figure-4.png");

  await renderChart(
    {
      title: {
        text: `SmoothHess vs the zeroth-order Stein Hessian (${DATASET_TITLES[first.name]})`,
        subtitle: "the Hessian analogue of Figs. 2–4: gradient-based vs perturbation-based; Frobenius distances",
      },
      hconcat: [
        panel("(a) equivalence", (r) => r.equivalence.smoothHessZerothOrder, "‖SmoothHess − ZO Hessian‖_F"),
        panel("(b) robustness of SmoothHess", (r) => r.robustness.smoothHess, "avg. max Frobenius distance"),
        panel("(c) robustness of the ZO Hessian", (r) => r.robustness.zerothOrderHess, "avg. max Frobenius distance"),
      ],
      resolve: { scale: { y: "shared" } },
    },
    join(directory, "figure-smoothhess"),
  );
  files.push("figure-smoothhess.svg", "figure-smoothhess.png");
  return files;
}

import { join } from "node:path";
import { renderChart } from "../../plot.js";
import type { RobustnessResults } from "./compute.js";

const TITLES: Record<string, string> = { mnist: "MNIST", fmnist: "FMNIST" };

/**
 * `figure-robustness.svg/.png`: per dataset, (a) the largest change of saliency and SmoothGrad (L2) and of SmoothHess
 * (spectral norm) over the ball radius ε, with the bounds from the largest observed gradient norm (dashed), and
 * (b) the top-k distance of the three methods.
 */
export async function renderRobustnessFigure(directory: string, results: RobustnessResults): Promise<string[]> {
  const rows = results.datasets.map((ds) => {
    const measured = ds.cells.flatMap((c) => [
      { radius: c.radius, series: "saliency", sigma2: "—", value: c.saliency.maxDistance, topK: c.saliency.maxTopK },
      { radius: c.radius, series: "SmoothGrad", sigma2: `σ² = ${c.sigma2}`, value: c.smoothGrad.maxDistance, topK: c.smoothGrad.maxTopK },
      { radius: c.radius, series: "SmoothHess", sigma2: `σ² = ${c.sigma2}`, value: c.smoothHess.maxDistance, topK: c.smoothHess.maxTopK },
    ]);
    const bounds = ds.cells.flatMap((c) => [
      { radius: c.radius, series: "SmoothGrad bound", sigma2: `σ² = ${c.sigma2}`, value: c.bounds.smoothGradObserved },
      { radius: c.radius, series: "SmoothHess bound", sigma2: `σ² = ${c.sigma2}`, value: c.bounds.smoothHessObserved },
    ]);
    // saliency does not depend on σ²: keep one copy per radius
    const unique = measured.filter((r, i) => r.series !== "saliency" || measured.findIndex((q) => q.series === "saliency" && q.radius === r.radius) === i);
    const colour = { field: "series", type: "nominal" as const, title: "method", scale: { domain: ["saliency", "SmoothGrad", "SmoothHess", "SmoothGrad bound", "SmoothHess bound"], range: ["#7f7f7f", "#1f77b4", "#d62728", "#1f77b4", "#d62728"] } };
    const radii = ds.cells.map((c) => c.radius);
    const x = {
      field: "radius",
      type: "quantitative" as const,
      scale: { type: "log" as const, domain: [Math.min(...radii) / 1.25, Math.max(...radii) * 1.25], nice: false },
      title: "ball radius ε",
    };
    return {
      hconcat: [
        {
          title: `${TITLES[ds.dataset]}: (a) largest change within the ball`,
          width: 300,
          height: 240,
          layer: [
            {
              data: { values: unique },
              mark: { type: "line" as const, point: true },
              encoding: { x, y: { field: "value", type: "quantitative" as const, scale: { type: "log" as const }, title: "max distance (L2 / spectral)" }, color: colour, detail: { field: "sigma2" }, shape: { field: "sigma2", type: "nominal" as const, title: "σ²" } },
            },
            {
              data: { values: bounds },
              mark: { type: "line" as const, strokeDash: [6, 4] },
              encoding: { x, y: { field: "value", type: "quantitative" as const }, color: colour, detail: { field: "sigma2" } },
            },
          ],
        },
        {
          title: `${TITLES[ds.dataset]}: (b) 1 − top-k intersection`,
          width: 300,
          height: 240,
          layer: [
            {
              data: { values: unique },
              mark: { type: "line" as const, point: true },
              encoding: { x, y: { field: "topK", type: "quantitative" as const, title: "top-k distance (max)" }, color: colour, detail: { field: "sigma2" }, shape: { field: "sigma2", type: "nominal" as const, title: "σ²" } },
            },
          ],
        },
      ],
    };
  });
  await renderChart(
    {
      title: { text: "Robustness of saliency, SmoothGrad and SmoothHess (predicted logit)", subtitle: "solid: measured (worst explained point); dashed: the Lipschitz bounds with the largest gradient norm observed" },
      vconcat: rows,
      resolve: { scale: { color: "shared", shape: "shared" } },
      config: { legend: { orient: "bottom", direction: "horizontal" } },
    },
    join(directory, "figure-robustness"),
  );
  return ["figure-robustness.svg", "figure-robustness.png"];
}

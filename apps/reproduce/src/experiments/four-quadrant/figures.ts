import { join } from "node:path";
import { renderChart } from "../../plot.js";
import type { FourQuadrantResults } from "./compute.js";
import { QUADRANT_AVERAGE } from "./config.js";

/** Fig. 2 as `figure-2.svg` / `.png` in `directory`: (a) SmoothHess H₁₂ over σ², (b) SoftPlus H₁₂ over β. */
export async function renderFigure2(directory: string, results: FourQuadrantResults): Promise<string[]> {
  const figure = "figure-2";
  const smoothHessRows = results.smoothHess;
  await renderChart(
    {
      title: {
        text: "Four Quadrant: H₁₂ at x₀ = 0",
        subtitle: [
          `ReLU MLP ${results.network.architecture}${results.network.checkpoint ? " (the authors' checkpoint)" : ""}, ${results.network.checkpoint ? "MSE on the data" : "training MSE"} ${results.trainingMse.toExponential(2)}`,
          "Dashed: 2.5 = (5 + 3 + 12 − 10)/4, the quadrant average. Band: ±2 standard errors.",
        ],
      },
      hconcat: [
        {
          title: "(a) SmoothHess",
          width: 320,
          height: 240,
          layer: [
            {
              data: { values: smoothHessRows.map((r) => ({ ...r, lo: r.h12 - 2 * r.h12StandardError, hi: r.h12 + 2 * r.h12StandardError })) },
              mark: { type: "area", opacity: 0.25, color: "#1f77b4" },
              encoding: {
                x: { field: "sigma2", type: "quantitative", scale: { type: "log" }, title: "σ² (Σ = σ²I)" },
                y: { field: "lo", type: "quantitative", title: "H₁₂" },
                y2: { field: "hi" },
              },
            },
            {
              data: { values: [...smoothHessRows] },
              mark: { type: "line", point: { color: "#1f77b4" }, color: "#1f77b4" },
              encoding: {
                x: { field: "sigma2", type: "quantitative", scale: { type: "log" } },
                y: { field: "h12", type: "quantitative" },
              },
            },
            referenceRule(),
          ],
        },
        {
          title: "(b) SoftPlus Hessian",
          width: 320,
          height: 240,
          layer: [
            {
              data: { values: [...results.softplus] },
              mark: { type: "line", point: { color: "#d62728" }, color: "#d62728" },
              encoding: {
                x: { field: "beta", type: "quantitative", scale: { type: "log" }, title: "β (SoftPlus_β)" },
                y: { field: "h12", type: "quantitative", title: "H₁₂" },
              },
            },
            referenceRule(),
          ],
        },
      ],
    },
    join(directory, figure),
  );
  return [`${figure}.svg`, `${figure}.png`];
}

function referenceRule() {
  return {
    data: { values: [{ y: QUADRANT_AVERAGE }] },
    mark: { type: "rule" as const, strokeDash: [6, 4], color: "black" },
    encoding: { y: { field: "y", type: "quantitative" as const } },
  };
}

import { logGrid } from "../../log-grid.js";
import { renderChart } from "../../plot.js";
import type { SmoothHessRow, SoftplusRow } from "./results.js";
import { ENTRIES, ENTRY_COLOR, ENTRY_LABEL, IN_DATA_SIGMA2 } from "./config.js";
import { truthAt } from "./summary.js";

/** y-axis window of both panels; estimates outside it (the noise at tiny σ²) are clipped and said so in the report. */
export const Y_DOMAIN = [-6.5, 2.5];

/** Fig. 5 at `path` (.svg and .png): (a) SmoothHess entries over σ² with the smoothed target, (b) SoftPlus over β. */
export async function renderFigure5(sh: readonly SmoothHessRow[], sp: readonly SoftplusRow[], trainingMse: number, path: string): Promise<void> {
  const long = sh.flatMap((r) =>
    ENTRIES.map((e) => {
      const se = r[`${e}StandardError` as const];
      return { sigma2: r.sigma2, entry: ENTRY_LABEL[e], value: r[e], lo: r[e] - 2 * se, hi: r[e] + 2 * se };
    }),
  );
  const truth = logGrid(1e-6, 10, 281).flatMap((s) => ENTRIES.map((e) => ({ sigma2: s, entry: ENTRY_LABEL[e], value: truthAt(s)[e] })));
  const softplus = sp.flatMap((r) => ENTRIES.map((e) => ({ beta: r.beta, entry: ENTRY_LABEL[e], value: r[e] })));
  const color = {
    field: "entry",
    type: "nominal" as const,
    title: "entry",
    legend: { symbolType: "stroke", symbolOpacity: 1, symbolStrokeWidth: 2.5 },
    scale: { domain: ENTRIES.map((e) => ENTRY_LABEL[e]), range: ENTRIES.map((e) => ENTRY_COLOR[e]) },
  };
  const y = { type: "quantitative" as const, scale: { domain: Y_DOMAIN }, title: "Hessian entry at x₀ = 0" };
  await renderChart(
    {
      title: {
        text: "Nested Interactions: Hessian entries at x₀ = 0",
        subtitle: [
          `ReLU MLP 2-64×5-1, training MSE ${trainingMse.toExponential(2)}.`,
          "Dashed: exact Hessian of the Gaussian-smoothed target. Grey: the Gaussian leaves the data square.",
        ],
      },
      hconcat: [
        {
          title: "(a) SmoothHess (±2 SE)",
          width: 360,
          height: 260,
          layer: [
            {
              data: { values: [{ from: IN_DATA_SIGMA2, to: 10 }] },
              mark: { type: "rect", color: "#bbbbbb", opacity: 0.3 },
              encoding: { x: { field: "from", type: "quantitative" }, x2: { field: "to" } },
            },
            {
              data: { values: long },
              mark: { type: "area", opacity: 0.2, clip: true },
              encoding: {
                x: { field: "sigma2", type: "quantitative", scale: { type: "log" }, title: "σ² (Σ = σ²I)", axis: { format: "~e" } },
                y: { field: "lo", ...y },
                y2: { field: "hi" },
                color,
              },
            },
            {
              data: { values: truth },
              mark: { type: "line", strokeDash: [5, 4], strokeWidth: 1.5, clip: true },
              encoding: { x: { field: "sigma2", type: "quantitative", scale: { type: "log" } }, y: { field: "value", ...y }, color },
            },
            {
              data: { values: long },
              mark: { type: "line", point: { size: 18 }, clip: true },
              encoding: { x: { field: "sigma2", type: "quantitative", scale: { type: "log" } }, y: { field: "value", ...y }, color },
            },
          ],
        },
        {
          title: "(b) SoftPlus Hessian",
          width: 360,
          height: 260,
          layer: [
            {
              data: { values: softplus },
              mark: { type: "line", point: { size: 18 }, clip: true },
              encoding: {
                x: { field: "beta", type: "quantitative", scale: { type: "log", reverse: true }, title: "β (SoftPlus_β; smoothing grows to the right)" },
                y: { field: "value", ...y },
                color,
              },
            },
            {
              data: { values: [{ y: 1 }, { y: 0 }, { y: -5 }] },
              mark: { type: "rule", strokeDash: [2, 3], color: "#555555" },
              encoding: { y: { field: "y", type: "quantitative" } },
            },
          ],
        },
      ],
    },
    path,
  );
}

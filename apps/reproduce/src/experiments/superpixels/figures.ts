import { join } from "node:path";
import { superpixelView } from "@smoothhess/explain";
import type { TopLevelSpec } from "vega-lite";
import { renderChart } from "../../plot.js";
import { METHODS, type SuperpixelsResults } from "./compute.js";

/**
 * Fig. 6 per dataset: one row per image — the image with its super-pixels (the chosen one outlined), then the
 * chosen super-pixel's interactions under SmoothHess, the SoftPlus and the Swish Hessian as heatmaps over the image,
 * P_MSE (ε = 0.25) above each panel; colour scales per image and method, as in the paper.
 */
export async function renderFigure6(directory: string, results: SuperpixelsResults): Promise<string[]> {
  const files: string[] = [];
  const grid = { height: 28, width: 28, channels: 1 };
  for (const dataset of new Set(results.images.map((image) => image.dataset))) {
    const rows: TopLevelSpec[] = [];
    for (const image of results.images.filter((i) => i.dataset === dataset)) {
      const panels: object[] = [];
      const first = superpixelView(image.x0, grid, image.methods.SmoothHess.hessian, { segmentation: image.segmentation });
      panels.push(strip(first.imageSpec(image.chosen, { title: `test ${image.row}: class ${image.label}, predicted ${image.predicted}`, cellSize: 7 })));
      for (const method of METHODS) {
        const m = image.methods[method];
        const view = superpixelView(image.x0, grid, m.hessian, { segmentation: image.segmentation });
        const setting = method === "SmoothHess" ? `σ = ${m.hyperparameter.toPrecision(3)}` : `β = ${m.hyperparameter}`;
        panels.push(strip(view.spec(image.chosen, { title: `${method} (${setting}) · P_MSE ${m.pmse.toPrecision(3)}`, cellSize: 7 })));
      }
      rows.push({ hconcat: panels, resolve: { scale: { color: "independent" } } } as TopLevelSpec);
    }
    const spec = { $schema: "https://vega.github.io/schema/vega-lite/v6.json", vconcat: rows, config: { view: { stroke: null } } } as TopLevelSpec;
    await renderChart(spec, join(directory, `figure-6-${dataset}`));
    files.push(`figure-6-${dataset}.svg`, `figure-6-${dataset}.png`);
  }
  return files;
}

/** A layered chart without its top-level-only keys, to nest in a concatenation. */
function strip(spec: object): object {
  const { $schema: _schema, config: _config, ...rest } = spec as unknown as Record<string, unknown>;
  return rest;
}

import { join } from "node:path";
import type { TopLevelSpec } from "vega-lite";
import { methodColorScale } from "../../method-colors.js";
import { PMSE_METHODS } from "../../paper-numbers/paper-layout.js";
import { PAPER_TABLE_5 } from "../../paper-numbers/table-5.js";
import { renderChart } from "../../plot.js";
import type { PmseResults } from "./compute.js";
import type { PmseConfig } from "./config.js";
import { DATASET_NAMES, SAMPLING_NAMES, TARGET_NAMES, paperLookup } from "./report-names.js";
import type { PmseDatasetResults } from "./results.js";

/** The pmse figures: mean P_MSE by radius next to the paper's (`pmse-by-radius`), and the validation curves. */
export async function pmseFigures(directory: string, config: PmseConfig, results: PmseResults): Promise<string[]> {
  return [...(await pmseFigure(directory, config, results)), ...(await validationFigure(directory, config, results))];
}

async function pmseFigure(directory: string, config: PmseConfig, results: { datasets: readonly PmseDatasetResults[] }): Promise<string[]> {
  const sampling = config.samplings[config.samplings.length - 1];
  const paperAt = paperLookup(config.radii);
  const values: Record<string, unknown>[] = [];
  for (const d of results.datasets) {
    for (const t of d.targets) {
      const panel = `${DATASET_NAMES[d.dataset]}, ${TARGET_NAMES[t.target]}`;
      for (const m of PMSE_METHODS) {
        config.radii.forEach((radius, e) => {
          values.push({ panel, method: m, radius, source: "ours", value: t.summary[sampling][m].mean[e] });
          values.push({ panel, method: m, radius, source: "paper", value: paperAt(PAPER_TABLE_5[d.dataset][t.target][m], e) });
        });
      }
    }
  }
  const panels = results.datasets.flatMap((d) => d.targets.map((t) => `${DATASET_NAMES[d.dataset]}, ${TARGET_NAMES[t.target]}`));
  const encoding = {
    x: { field: "radius", type: "ordinal" as const, title: "ε", axis: { labelAngle: 0 } },
    y: { field: "value", type: "quantitative" as const, scale: { type: "log" as const }, title: "P_MSE", axis: { format: ".0e" } },
    color: { field: "method", type: "nominal" as const, title: "method", scale: methodColorScale(PMSE_METHODS) },
  };
  const spec: TopLevelSpec = {
    title: { text: "Mean P_MSE by neighbourhood radius (lower is better)", subtitle: `ours: solid with points, ${SAMPLING_NAMES[sampling]}; paper (Tables 1, 5): dashed` },
    data: { values },
    facet: { field: "panel", type: "nominal", title: null, header: { labelFontSize: 13 }, sort: panels },
    columns: 2,
    spec: {
      width: 260,
      height: 200,
      layer: [
        { transform: [{ filter: "datum.source === 'ours'" }], mark: { type: "line", point: true }, encoding },
        { transform: [{ filter: "datum.source === 'paper'" }], mark: { type: "line", strokeDash: [5, 4], opacity: 0.8 }, encoding },
      ],
    },
    resolve: { scale: { y: "independent" } },
  };
  const { svg, png } = await renderChart(spec, join(directory, "pmse-by-radius"));
  return [rel(svg), rel(png)];
}

async function validationFigure(directory: string, config: PmseConfig, results: { datasets: readonly PmseDatasetResults[] }): Promise<string[]> {
  const values: Record<string, unknown>[] = [];
  const rules: Record<string, unknown>[] = [];
  const panels: string[] = [];
  for (const d of results.datasets) {
    for (const t of d.targets) {
      config.radii.forEach((radius, e) => {
        const panel = `${DATASET_NAMES[d.dataset]} ${t.target}, ε=${radius}`;
        panels.push(panel);
        for (const m of ["SP (H+G)", "SP G", "SW (H+G)", "SW G"] as const) {
          for (const p of t.selection[m][e].curve) values.push({ panel, method: m, beta: p.value, value: p.mean });
        }
        const sh = t.selection["SH+SG"][e];
        rules.push({ panel, value: Math.min(...sh.curve.map((p) => p.mean)), method: "SH+SG (best σ)" });
      });
    }
  }
  const spec: TopLevelSpec = {
    title: { text: "Validation P_MSE of the surrogates over β", subtitle: "dashed black: SH+SG at its best σ on the same validation points" },
    data: { values: [...values, ...rules.map((r) => ({ ...r, rule: true }))] },
    facet: { field: "panel", type: "nominal", title: null, sort: panels },
    columns: config.radii.length,
    spec: {
      width: 200,
      height: 150,
      layer: [
        {
          transform: [{ filter: "!datum.rule" }],
          mark: { type: "line", point: { size: 12 } },
          encoding: {
            x: { field: "beta", type: "quantitative", scale: { type: "log" }, title: "β" },
            y: { field: "value", type: "quantitative", scale: { type: "log" }, title: "validation P_MSE", axis: { format: ".0e" } },
            color: { field: "method", type: "nominal", title: "method", scale: methodColorScale(["SP (H+G)", "SP G", "SW (H+G)", "SW G"]) },
          },
        },
        {
          transform: [{ filter: "datum.rule" }],
          mark: { type: "rule", strokeDash: [6, 4], color: "black" },
          encoding: { y: { field: "value", type: "quantitative" } },
        },
      ],
    },
    resolve: { scale: { y: "independent" } },
  };
  const { svg, png } = await renderChart(spec, join(directory, "pmse-validation"));
  return [rel(svg), rel(png)];
}

function rel(path: string): string {
  return path.split(/[\\/]/).pop() as string;
}

import { join } from "node:path";
import type { TopLevelSpec } from "vega-lite";
import { methodColorScale } from "../../method-colors.js";
import { ATTACK_METHODS } from "../../paper-numbers/paper-layout.js";
import { PAPER_TABLE_8 } from "../../paper-numbers/table-8.js";
import { renderChart } from "../../plot.js";
import type { AttackConfig } from "./config.js";
import { DATASET_NAMES, paperAt } from "./report-names.js";
import type { AttackDatasetResults } from "./results.js";

/** `attack-accuracy`: post-hoc accuracy by ε next to Table 8, and the mean probability after each attack relative to G. */
export async function accuracyFigure(directory: string, config: AttackConfig, results: { datasets: readonly AttackDatasetResults[] }): Promise<string[]> {
  const values: Record<string, unknown>[] = [];
  for (const d of results.datasets) {
    for (const m of ATTACK_METHODS) {
      config.radii.forEach((radius, e) => {
        values.push({ dataset: DATASET_NAMES[d.dataset], method: m, radius, source: "ours", accuracy: 100 * d.accuracy[m].value[e] });
        values.push({ dataset: DATASET_NAMES[d.dataset], method: m, radius, source: "paper", accuracy: paperAt(d.dataset, config.radii, PAPER_TABLE_8[d.dataset][m], e) });
      });
    }
  }
  const encoding = {
    x: { field: "radius", type: "quantitative" as const, title: "attack magnitude ε", axis: { values: [...config.radii], format: ".2~f" } },
    y: { field: "accuracy", type: "quantitative" as const, title: "post-hoc accuracy (%)", scale: { domain: [0, 100] } },
    color: { field: "method", type: "nominal" as const, title: "method", scale: methodColorScale(ATTACK_METHODS) },
  };
  const probabilities: Record<string, unknown>[] = [];
  for (const d of results.datasets) {
    const mean = (m: string, e: number) => d.points.reduce((a, p) => a + p.outcomes[m].probability[e], 0) / d.points.length;
    for (const m of ATTACK_METHODS.filter((x) => x !== "Random")) {
      config.radii.forEach((radius, e) => {
        probabilities.push({ dataset: DATASET_NAMES[d.dataset], method: m, radius, probability: mean(m, e) - mean("G", e) });
      });
    }
  }
  const datasets = results.datasets.map((d) => DATASET_NAMES[d.dataset]);
  const facet = { field: "dataset", type: "nominal" as const, title: null, header: { labelFontSize: 13 }, sort: datasets };
  const spec: TopLevelSpec = {
    title: {
      text: "Attacks on the predicted SoftMax probability (lower: stronger)",
      subtitle: [
        "top: post-hoc accuracy, ours solid with points, paper (Table 8) dashed;",
        "bottom: mean probability of the originally predicted class after each attack minus that after the gradient (G) attack",
        "(ours; continuous, so it separates attacks that tie above; below 0: stronger than G; Random is off the scale)",
      ],
    },
    vconcat: [
      {
        data: { values },
        facet,
        spec: {
          width: 300,
          height: 230,
          layer: [
            { transform: [{ filter: "datum.source === 'ours'" }], mark: { type: "line", point: true }, encoding },
            { transform: [{ filter: "datum.source === 'paper'" }], mark: { type: "line", strokeDash: [5, 4], opacity: 0.8 }, encoding },
          ],
        },
      },
      {
        data: { values: probabilities },
        facet,
        spec: {
          width: 300,
          height: 180,
          mark: { type: "line", point: true },
          encoding: {
            x: encoding.x,
            y: { field: "probability", type: "quantitative" as const, title: "Δ mean probability vs G" },
            color: encoding.color,
          },
        },
      },
    ],
  };
  const { svg, png } = await renderChart(spec, join(directory, "attack-accuracy"));
  return [svg, png].map((p) => p.split(/[\\/]/).pop() as string);
}

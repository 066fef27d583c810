import { join } from "node:path";
import type { ExperimentContext } from "../../experiment.js";
import { renderChart } from "../../plot.js";
import { INTERVAL, type SpirometryConfig } from "./config.js";
import type { ExplainedPoint, ModelResult } from "./results.js";

/** Fig. 3: the curve, SmoothGrad per interval and the interactions with the first interval, for a cough and a clean curve. */
export async function renderFigure3(
  context: ExperimentContext,
  config: SpirometryConfig,
  model: ModelResult,
  curveOf: (testRow: number) => Float32Array,
): Promise<string[]> {
  const size = config.intervalSamples;
  const seconds = size * INTERVAL;
  const sample1 = model.points.find((p) => p.hasCough)!;
  const sample2 = model.points.find((p) => !p.hasCough)!;
  const panel = (point: ExplainedPoint, curve: Float32Array, title: string) => {
    const intervals = point.smoothGrad.length;
    const bars = Array.from({ length: intervals }, (_, j) => ({ from: j * seconds, to: (j + 1) * seconds, t: (j + 0.5) * seconds }));
    const width = 380;
    const x = { type: "quantitative" as const, scale: { domain: [0, 15], nice: false }, title: "time (s)" };
    const coughRects = point.coughs.map((c) => ({ from: c.start, to: c.start + c.duration }));
    return {
      vconcat: [
        {
          title: { text: title, subtitle: `FEV₁ ${point.fev1.toFixed(2)} L, predicted ${point.predicted.toFixed(2)} L` },
          width,
          height: 120,
          layer: [
            {
              data: { values: coughRects.length ? coughRects : [{ from: 0, to: 0 }] },
              mark: { type: "rect" as const, color: "#ff7f0e", opacity: coughRects.length ? 0.3 : 0 },
              encoding: { x: { field: "from", ...x }, x2: { field: "to" } },
            },
            {
              data: { values: Array.from(curve, (v, i) => ({ t: i * INTERVAL, volume: v })) },
              mark: { type: "line" as const, color: "#1f77b4" },
              encoding: { x: { field: "t", ...x }, y: { field: "volume", type: "quantitative" as const, title: "volume (L)" } },
            },
          ],
        },
        {
          width,
          height: 90,
          data: { values: bars.map((b, j) => ({ ...b, v: point.smoothGrad[j] })) },
          mark: { type: "rect" as const, color: "#2ca02c", stroke: "white", strokeWidth: 0.5 },
          encoding: { x: { field: "from", ...x }, x2: { field: "to" }, y: { field: "v", type: "quantitative" as const, title: "SmoothGrad (sum)" }, y2: { datum: 0 } },
        },
        {
          width,
          height: 90,
          layer: [
            {
              data: {
                values: bars.slice(1).map((b, k) => {
                  const j = k + 1;
                  const v = point.interactions[j], se = point.interactionsStandardError[j];
                  return { ...b, v, lo: v - 2 * se, hi: v + 2 * se };
                }),
              },
              layer: [
                {
                  mark: { type: "rect" as const, color: "#d62728", stroke: "white", strokeWidth: 0.5 },
                  encoding: {
                    x: { field: "from", ...x },
                    x2: { field: "to" },
                    y: { field: "v", type: "quantitative" as const, title: "SmoothHess with 0–0.5 s" },
                    y2: { datum: 0 },
                  },
                },
                { mark: { type: "rule" as const, color: "black" }, encoding: { x: { field: "t", type: "quantitative" as const }, y: { field: "lo", type: "quantitative" as const }, y2: { field: "hi" } } },
              ],
            },
            {
              data: { values: [{ t: point.strongest.interval * seconds + seconds / 2, v: point.strongest.value }] },
              mark: { type: "point" as const, shape: "triangle-down", size: 90, filled: true, color: "black", yOffset: -10 },
              encoding: { x: { field: "t", type: "quantitative" as const }, y: { field: "v", type: "quantitative" as const } },
            },
          ],
        },
      ],
    };
  };
  const path = join(context.directory, "figure-3");
  await renderChart(
    {
      title: {
        text: `Spirometry: SmoothGrad and SmoothHess per 0.5 s interval (${model.name} CNN, kernel ${model.kernel})`,
        subtitle: [
          `Orange: coughs (generator's ground truth). Red bars: interaction of each interval with the first 0.5 s (±2 SE); ▼ strongest.`,
          `Σ = ${config.sigma2}·I (L²), ${config.samples.toLocaleString("en")} gradient samples per curve.`,
        ],
      },
      hconcat: [
        panel(sample1, curveOf(sample1.testRow), `Sample 1 (test curve ${sample1.testRow}): cough`),
        panel(sample2, curveOf(sample2.testRow), `Sample 2 (test curve ${sample2.testRow}): no cough`),
      ],
    },
    path,
  );
  return ["figure-3.svg", "figure-3.png"];
}

/** Fig. 4: interval-interaction heatmaps of sample 1 for the narrow and the wide CNN, each scaled to its largest |value|. */
export async function renderFigure4(context: ExperimentContext, config: SpirometryConfig, models: readonly ModelResult[]): Promise<string[]> {
  const seconds = config.intervalSamples * INTERVAL;
  const panels = models.map((model) => {
    const point = model.points.find((p) => p.hasCough)!;
    const m = point.smoothGrad.length;
    const offDiagonal = point.interactions.filter((_, k) => Math.floor(k / m) !== k % m);
    const diagonal = point.interactions.filter((_, k) => Math.floor(k / m) === k % m);
    const scale = Math.max(...offDiagonal.map(Math.abs)) || 1;
    const cells = point.interactions
      .map((v, k) => ({ i: Math.floor(k / m) * seconds, j: (k % m) * seconds, v: v / scale }))
      .filter((c) => c.i !== c.j);
    const axis = (title: string) => ({ type: "ordinal" as const, title, axis: { values: [0, 2.5, 5, 7.5, 10, 12.5], labelAngle: 0 } });
    return {
      title: {
        text: `${model.name} CNN: kernel ${model.kernel}`,
        subtitle: [
          `receptive field ${model.receptiveFieldSamples} samples (${(model.receptiveFieldSamples * INTERVAL).toFixed(2)} s)`,
          `max |off-diagonal| ${scale.toPrecision(2)}; diagonal (blank) up to ${Math.max(...diagonal.map(Math.abs)).toPrecision(2)}`,
        ],
      },
      width: 300,
      height: 300,
      data: { values: cells },
      mark: { type: "rect" as const },
      encoding: {
        x: { field: "j", ...axis("interval start (s)") },
        y: { field: "i", ...axis("interval start (s)") },
        color: { field: "v", type: "quantitative" as const, title: "interaction / max", scale: { scheme: "redblue", reverse: true, domain: [-1, 1] } },
      },
    };
  });
  const sample1 = models[0].points.find((p) => p.hasCough)!;
  await renderChart(
    {
      title: {
        text: `Spirometry: SmoothHess interactions between 0.5 s intervals, sample 1 (test curve ${sample1.testRow})`,
        subtitle: `coughs at ${sample1.coughs.map((c) => `${c.start.toFixed(2)}–${(c.start + c.duration).toFixed(2)} s`).join(", ")}; each panel scaled to its largest off-diagonal |interaction|; self-interactions (diagonal) left blank`,
      },
      hconcat: panels,
      resolve: { scale: { color: "shared" } },
    },
    join(context.directory, "figure-4"),
  );
  return ["figure-4.svg", "figure-4.png"];
}

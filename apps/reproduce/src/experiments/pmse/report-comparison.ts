import { type ComparisonGroup, type ModelColumn } from "../../model-comparison-table.js";
import { datasetSelection, fillCommand, modelOfOptions, readSiblingRun, type ModelComparison, type ModelName, type RunDocument } from "../../model-runs.js";
import { PMSE_METHODS, type PmseMethod, type PmseTarget } from "../../paper-numbers/paper-layout.js";
import { PAPER_TABLE_5 } from "../../paper-numbers/table-5.js";
import type { PmseResults } from "./compute.js";
import { configurePmse, type PmseConfig } from "./config.js";
import { paperLookup } from "./report-names.js";
import type { PmseTestPoint } from "./results.js";

/** The experiment's name, also its folder under `--out` (`pmse-authors` for the authors' model). */
const EXPERIMENT = "pmse";

/**
 * The comparison a pmse report shows: the model of this run (`--model`) and the other model's run under the same
 * `--out`, read and checked; a missing or damaged one comes with the command that fills its column.
 */
export async function pmseComparison(
  config: PmseConfig,
  options: { readonly out: string; readonly model?: string },
  reported: readonly string[] = config.datasets,
): Promise<ModelComparison> {
  const thisRun = modelOfOptions(options);
  const overrides = [...pmseOverrides(config), ...datasetSelection(config.datasets, reported)];
  const sibling = await readSiblingRun(options.out, EXPERIMENT, thisRun, (model) => fillCommand(EXPERIMENT, model, options.out, config.preset, overrides));
  return { thisRun, sibling };
}

/** The flags beyond the preset that reproduce this configuration's point counts, samples and seed. */
export function pmseOverrides(config: PmseConfig): string[] {
  const preset = configurePmse({ preset: config.preset === "full" ? "full" : "quick", seed: 0, backend: "wasm", out: "unused", fresh: false, quiet: true });
  return [
    ...(config.testPoints !== preset.testPoints ? [`--points ${config.testPoints}`] : []),
    ...(config.testPointOrder === "first" ? ["--test-points first"] : []),
    ...(config.samples !== preset.samples ? [`--samples ${config.samples}`] : []),
    ...(config.seed !== 0 ? [`--seed ${config.seed}`] : []),
    ...(config.backend !== "wasm" ? [`--backend ${config.backend}`] : []),
  ];
}

/** How the legend describes a pmse run. */
export function describePmseRun(config: Partial<PmseConfig>): string {
  const quick = config.preset === "quick" ? " — a smoke test, not a reproduction" : "";
  return `preset ${config.preset ?? "?"}${quick}, ${config.testPoints ?? "?"} test points${config.testPointOrder === "first" ? " (the first of the official test set)" : ""}, ${config.samples?.toLocaleString("en") ?? "?"} gradient samples, ${config.testBallSamples ?? "?"} ball points per ε`;
}

/** {@link describePmseRun} of a sibling's results.json. */
export function describePmseDocument(document: RunDocument): string {
  return describePmseRun(document.config as Partial<PmseConfig>);
}

/**
 * The groups of one table (one dataset, function and sampling law; one group per ε of this run): the paper's
 * Table 1 / 5 values, this run's per-point P_MSE, and the sibling run's at the same dataset, function, law and ε
 * (matched by value; a cell the sibling lacks is shown as missing).
 */
export function pmseGroups(
  config: PmseConfig,
  results: PmseResults,
  dataset: string,
  target: PmseTarget,
  sampling: string,
  comparison: ModelComparison,
): ComparisonGroup[] {
  const paperAt = paperLookup(config.radii);
  const paper = (PAPER_TABLE_5 as Record<string, Record<PmseTarget, Record<PmseMethod, readonly number[]>> | undefined>)[dataset]?.[target];
  const own = results.datasets.find((d) => d.dataset === dataset)?.targets.find((t) => t.target === target)?.points ?? [];
  return config.radii.map((radius, e) => {
    const columns = {} as Record<ModelName, ModelColumn>;
    columns[comparison.thisRun] = pointColumn(own, sampling, e);
    const other: ModelName = comparison.thisRun === "authors" ? "ours" : "authors";
    columns[other] = siblingColumn(comparison, dataset, target, sampling, radius);
    return {
      label: String(radius),
      paper: Object.fromEntries(PMSE_METHODS.map((m) => [m, paper ? paperAt(paper[m], e) : Number.NaN])),
      columns,
    };
  });
}

function siblingColumn(comparison: ModelComparison, dataset: string, target: PmseTarget, sampling: string, radius: number): ModelColumn {
  const { sibling } = comparison;
  if (sibling.kind === "missing") return { kind: "absent", text: "not run" };
  if (sibling.kind === "unreadable") return { kind: "absent", text: "unreadable" };
  const config = sibling.document.config as Partial<PmseConfig>;
  const results = sibling.document.results as Partial<PmseResults>;
  const e = Array.isArray(config.radii) ? config.radii.indexOf(radius) : -1;
  const datasets = Array.isArray(results.datasets) ? results.datasets : [];
  const targets = datasets.find((d) => d?.dataset === dataset)?.targets;
  const points = Array.isArray(targets) ? targets.find((t) => t?.target === target)?.points : undefined;
  if (e < 0 || !Array.isArray(points) || points.length === 0) return { kind: "absent", text: "not in that run" };
  return pointColumn(points, sampling, e);
}

/**
 * Every method's P_MSE at the `e`-th radius over `points`, read defensively (a sibling's results.json is checked
 * against its checksum, not against this version's types): a method with a missing or non-finite value is `undefined`.
 */
function pointColumn(points: readonly PmseTestPoint[], sampling: string, e: number): ModelColumn {
  const values: Record<string, number[] | undefined> = {};
  for (const method of PMSE_METHODS) {
    const column = points.map((p) => p?.pmse?.[sampling]?.[method]?.[e]);
    values[method] = column.length > 0 && column.every((v) => typeof v === "number" && Number.isFinite(v)) ? (column as number[]) : undefined;
  }
  return { kind: "values", values };
}

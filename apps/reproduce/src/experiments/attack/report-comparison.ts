import { type ComparisonGroup, type ModelColumn } from "../../model-comparison-table.js";
import { datasetSelection, fillCommand, modelOfOptions, otherModel, readSiblingRun, type ModelComparison, type ModelName, type RunDocument } from "../../model-runs.js";
import { ATTACK_METHODS, type AttackMethod } from "../../paper-numbers/paper-layout.js";
import { PAPER_TABLE_8 } from "../../paper-numbers/table-8.js";
import type { AttackResults } from "./compute.js";
import { configureAttack, type AttackConfig } from "./config.js";
import { paperAt } from "./report-names.js";
import type { AttackDatasetResults, AttackTestPoint } from "./results.js";

/** The experiment's name, also its folder under `--out` (`attack-authors` for the authors' model). */
const EXPERIMENT = "attack";

/**
 * The comparison an attack report shows: the model of this run (`--model`) and the other model's run under the same
 * `--out`, read and checked; a missing or damaged one comes with the command that fills its column.
 */
export async function attackComparison(
  config: AttackConfig,
  options: { readonly out: string; readonly model?: string },
  reported: readonly string[] = config.datasets,
): Promise<ModelComparison> {
  const thisRun = modelOfOptions(options);
  const overrides = [...attackOverrides(config), ...datasetSelection(config.datasets, reported)];
  const sibling = await readSiblingRun(options.out, EXPERIMENT, thisRun, (model) => fillCommand(EXPERIMENT, model, options.out, config.preset, overrides));
  return { thisRun, sibling };
}

/** The flags beyond the preset that reproduce this configuration's point counts, samples and seed. */
export function attackOverrides(config: AttackConfig): string[] {
  const preset = configureAttack({ preset: config.preset === "full" ? "full" : "quick", seed: 0, backend: "wasm", out: "unused", fresh: false, quiet: true });
  return [
    ...(config.testPoints !== preset.testPoints ? [`--points ${config.testPoints}`] : []),
    ...(config.testPointOrder === "first" ? ["--test-points first"] : []),
    ...(config.samples !== preset.samples ? [`--samples ${config.samples}`] : []),
    ...(config.seed !== 0 ? [`--seed ${config.seed}`] : []),
    ...(config.backend !== "wasm" ? [`--backend ${config.backend}`] : []),
  ];
}

/** How the legend describes an attack run. */
export function describeAttackRun(config: Partial<AttackConfig>): string {
  const quick = config.preset === "quick" ? " — a smoke test, not a reproduction" : "";
  return `preset ${config.preset ?? "?"}${quick}, ${config.testPoints ?? "?"} test points${config.testPointOrder === "first" ? " (the first of the official test set)" : ""}, ${config.samples?.toLocaleString("en") ?? "?"} gradient samples`;
}

/** {@link describeAttackRun} of a sibling's results.json. */
export function describeAttackDocument(document: RunDocument): string {
  return describeAttackRun(document.config as Partial<AttackConfig>);
}

/**
 * The groups of one dataset's Table 2 / 8 (one group per ε of this run): the paper's post-hoc accuracy (%), and
 * whether each test point kept its class under each attack (1 / 0) in this run and in the sibling run at the same
 * dataset and ε (matched by value).
 */
export function attackGroups(config: AttackConfig, results: AttackResults, dataset: AttackDatasetResults["dataset"], comparison: ModelComparison): ComparisonGroup[] {
  const own = results.datasets.find((d) => d.dataset === dataset)?.points ?? [];
  return config.radii.map((radius, e) => {
    const columns = {} as Record<ModelName, ModelColumn>;
    columns[comparison.thisRun] = pointColumn(own, e);
    columns[otherModel(comparison.thisRun)] = siblingColumn(comparison, dataset, radius);
    return {
      label: String(radius),
      paper: Object.fromEntries(ATTACK_METHODS.map((m) => [m, paperAt(dataset, config.radii, PAPER_TABLE_8[dataset][m], e)])),
      columns,
    };
  });
}

function siblingColumn(comparison: ModelComparison, dataset: string, radius: number): ModelColumn {
  const { sibling } = comparison;
  if (sibling.kind === "missing") return { kind: "absent", text: "not run" };
  if (sibling.kind === "unreadable") return { kind: "absent", text: "unreadable" };
  const config = sibling.document.config as Partial<AttackConfig>;
  const results = sibling.document.results as Partial<AttackResults>;
  const e = Array.isArray(config.radii) ? config.radii.indexOf(radius) : -1;
  const datasets = Array.isArray(results.datasets) ? results.datasets : [];
  const points = datasets.find((d) => d?.dataset === dataset)?.points;
  if (e < 0 || !Array.isArray(points) || points.length === 0) return { kind: "absent", text: "not in that run" };
  return pointColumn(points, e);
}

/**
 * Whether each point kept its class under each method's attack at the `e`-th radius, read defensively (a sibling's
 * results.json is checked against its checksum, not against this version's types): a method with a missing or
 * non-finite outcome is `undefined`.
 */
function pointColumn(points: readonly AttackTestPoint[], e: number): ModelColumn {
  const values: Record<AttackMethod | string, number[] | undefined> = {};
  for (const method of ATTACK_METHODS) {
    const column = points.map((p) => p?.outcomes?.[method]?.unchanged?.[e]);
    values[method] = column.length > 0 && column.every((v) => typeof v === "number" && Number.isFinite(v)) ? (column as number[]) : undefined;
  }
  return { kind: "values", values };
}

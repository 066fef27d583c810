import { pairedDifference, type PairedDifference } from "@smoothhess/metrics";
import { markdownTable, ratio } from "./markdown-table.js";
import { discordantPairs, orderingSummary } from "./method-ordering.js";
import { MODEL_COLUMNS, MODEL_LABELS, type ModelName } from "./model-runs.js";

/** A model's column in one group of rows: every method's per-point values, or the reason there are none. */
export type ModelColumn =
  | {
      readonly kind: "values";
      /** Per method, its value at every test point (the same points, in the same order, for every method). `undefined`: not in that run. */
      readonly values: Readonly<Record<string, readonly number[] | undefined>>;
    }
  | { readonly kind: "absent"; readonly text: string };

/** One group of rows (one ε): the paper's numbers and both models' per-point values. */
export interface ComparisonGroup {
  /** Shown in the first column, e.g. `0.25`. */
  readonly label: string;
  /** The paper's printed value per method (NaN: not in the paper). */
  readonly paper: Readonly<Record<string, number>>;
  readonly columns: Readonly<Record<ModelName, ModelColumn>>;
}

/** How {@link comparisonTable} shows numbers. */
export interface ComparisonTableOptions {
  /** The rows, in the paper's order. */
  readonly methods: readonly string[];
  /** The method every other is compared with by paired differences (SH+SG). */
  readonly reference: string;
  /** Header of the first column (`ε`). */
  readonly groupHeader: string;
  /** Per-point values are multiplied by this before display and before the ratio (100: fractions shown as %). */
  readonly scale: number;
  /** A value (already scaled), a standard error or a paired difference as text. */
  readonly format: (x: number) => string;
  /** The run whose report this is (its column header says so). */
  readonly thisRun: ModelName;
}

/** Mean and standard error of one method's values over the test points. */
export interface CellStatistics {
  readonly mean: number;
  /** sd/√n with the unbiased sd (NaN for one point): the same convention as the paired differences. */
  readonly standardError: number;
}

/**
 * The mean of `values` over the test points and its standard error; `undefined` when there are none or one is not
 * finite. A one-sample mean is the paired difference against zero, so `pairedDifference` of `@smoothhess/metrics`
 * gives it with the same standard-error convention as the paired comparisons beside it.
 */
export function cellStatistics(values: readonly number[] | undefined): CellStatistics | undefined {
  if (values === undefined || values.length === 0 || !values.every(Number.isFinite)) return undefined;
  return pairedDifference(values, new Float64Array(values.length));
}

/**
 * Competition ranks (1 = lowest, i.e. best for P_MSE and post-hoc accuracy; equal values share a rank, the next
 * rank skips) of the methods with a finite value.
 */
export function competitionRanks(values: Readonly<Record<string, number>>): Record<string, number> {
  const finite = Object.keys(values).filter((m) => Number.isFinite(values[m]));
  return Object.fromEntries(finite.map((m) => [m, 1 + finite.filter((o) => values[o] < values[m]).length]));
}

/**
 * Whether `method` holds the same place in both rankings up to ties: the places it shares with the methods tied to
 * it (from its competition rank to the last of its tie) overlap in `ours` and `paper`. A tie on either side is no
 * disagreement, as in `discordantPairs`, whose ordering row counts ties apart.
 */
export function sameRankUpToTies(ours: Readonly<Record<string, number>>, paper: Readonly<Record<string, number>>, method: string): boolean | undefined {
  const places = (values: Readonly<Record<string, number>>) => {
    const finite = Object.keys(values).filter((m) => Number.isFinite(values[m]));
    return [1 + finite.filter((o) => values[o] < values[method]).length, finite.filter((o) => values[o] <= values[method]).length];
  };
  if (!Number.isFinite(ours[method]) || !Number.isFinite(paper[method])) return undefined;
  const [a, b] = places(ours), [c, d] = places(paper);
  return a <= d && c <= b;
}

/** `reference − method` at every point, ± its standard error; `undefined` where either lacks values. */
export function referenceDifference(column: ModelColumn, reference: string, method: string): PairedDifference | undefined {
  if (column.kind !== "values") return undefined;
  const a = column.values[reference], b = column.values[method];
  if (a === undefined || b === undefined || a.length === 0 || a.length !== b.length || !a.every(Number.isFinite) || !b.every(Number.isFinite)) return undefined;
  return pairedDifference(a, b);
}

/** Whether a paired difference is at least twice its standard error (the points tell the two methods apart). */
export function separated(d: PairedDifference): boolean {
  return Number.isFinite(d.standardError) && Math.abs(d.mean) >= 2 * d.standardError && d.mean !== 0;
}

/**
 * The three-column table of a report — paper | ours on the authors' model | ours on our trained model — with one
 * group of rows per ε: each model cell is the mean over test points ± its standard error and the method's rank in
 * that ε (✓ where it is the paper's up to ties, ✗ where not), beside it the ratio to the paper and the paired difference
 * reference − method ± SE (bold where |difference| ≥ 2 SE). The last row of a group says whether each model orders
 * the methods as the paper does.
 */
export function comparisonTable(groups: readonly ComparisonGroup[], options: ComparisonTableOptions): string {
  const { methods, reference, scale, format, thisRun } = options;
  const header = [options.groupHeader, "method", "paper"];
  for (const model of MODEL_COLUMNS) {
    header.push(`${MODEL_LABELS[model]}${model === thisRun ? " (this run)" : ""}`, "×paper", `${reference} − method`);
  }
  const rows: string[][] = [];
  for (const group of groups) {
    const paperRanks = competitionRanks(group.paper);
    const stats = Object.fromEntries(
      MODEL_COLUMNS.map((model) => {
        const column = group.columns[model];
        return [model, Object.fromEntries(methods.map((m) => [m, column.kind === "values" ? cellStatistics(column.values[m]) : undefined]))];
      }),
    ) as Record<ModelName, Record<string, CellStatistics | undefined>>;
    const means = (model: ModelName) => Object.fromEntries(methods.map((m) => [m, scale * (stats[model][m]?.mean ?? Number.NaN)]));
    const ranks = Object.fromEntries(MODEL_COLUMNS.map((model) => [model, competitionRanks(means(model))])) as Record<ModelName, Record<string, number>>;
    for (const [i, method] of methods.entries()) {
      const paper = group.paper[method];
      const row = [i === 0 ? group.label : "", method, Number.isFinite(paper) ? `${format(paper)} #${paperRanks[method]}` : "—"];
      for (const model of MODEL_COLUMNS) {
        const column = group.columns[model];
        const cell = stats[model][method];
        if (column.kind === "absent") {
          row.push(i === 0 ? column.text : "", "", "");
          continue;
        }
        if (cell === undefined) {
          row.push("—", "", "");
          continue;
        }
        const rank = ranks[model][method];
        const same = sameRankUpToTies(means(model), group.paper, method);
        const agreement = same === undefined ? "" : same ? " ✓" : " ✗";
        const difference = method === reference ? undefined : referenceDifference(column, reference, method);
        row.push(
          `${format(scale * cell.mean)} ± ${format(scale * cell.standardError)} #${rank}${agreement}`,
          ratio(scale * cell.mean, paper),
          method === reference ? "" : difference === undefined ? "—" : emphasise(`${format(scale * difference.mean)} ± ${format(scale * difference.standardError)}`, separated(difference)),
        );
      }
      rows.push(row);
    }
    const ordering = ["", "ordering", ""];
    for (const model of MODEL_COLUMNS) {
      const column = group.columns[model];
      ordering.push(column.kind === "absent" ? "" : orderingSummary(discordantPairs(means(model), group.paper)), "", "");
    }
    rows.push(ordering);
  }
  return markdownTable(header, rows, header.map((_, i) => (i < 2 ? "l" : "r")));
}

function emphasise(text: string, bold: boolean): string {
  return bold ? `**${text}**` : text;
}

/** What each model column of a table holds (or why it is empty), for {@link comparisonLegend}. */
export type ColumnNotes = Readonly<Record<ModelName, string>>;

/**
 * The legend under a comparison table: how to read a cell, and where each model column comes from (`notes`: the
 * run's preset, points and samples, or the command that fills an empty column).
 * @param difference - what the paired difference measures, e.g. "P_MSE" or "post-hoc accuracy, in percentage points".
 * @param lower - what a lower value means ("better" for P_MSE, "a stronger attack" for post-hoc accuracy).
 */
export function comparisonLegend(options: Pick<ComparisonTableOptions, "reference" | "thisRun">, difference: string, notes: ColumnNotes, lower = "better"): string[] {
  const { reference } = options;
  return [
    `Legend: a model cell is the mean over that run's test points ± its standard error (sd/√n); #k is the method's rank at that ε` +
      ` (1 = lowest; equal values share a rank), ✓ / ✗ whether it is the paper's rank (up to ties on either side). ×paper: mean / the paper's.` +
      ` "${reference} − method": the paired difference of ${difference} over the same test points ± its standard error;` +
      ` negative: ${reference} lower (${lower}); **bold**: |difference| ≥ 2 SE, so the points separate the two; otherwise they cannot.` +
      ` "ordering": pairs of methods ordered against the paper ("agrees": none).`,
    "",
    ...MODEL_COLUMNS.map((model) => `- ${MODEL_LABELS[model]}${model === options.thisRun ? " (this run)" : ""}: ${notes[model]}`),
    "",
  ];
}

/**
 * The companion table of the spread over test points (the paper's Table 6): per ε and method, the paper's standard
 * deviation and each model's (the unbiased sd of its per-point values) with the ratio to the paper.
 */
export function spreadTable(groups: readonly ComparisonGroup[], options: Omit<ComparisonTableOptions, "reference">): string {
  const { methods, scale, format, thisRun } = options;
  const header = [options.groupHeader, "method", "paper"];
  for (const model of MODEL_COLUMNS) header.push(`${MODEL_LABELS[model]}${model === thisRun ? " (this run)" : ""}`, "×paper");
  const rows: string[][] = [];
  for (const group of groups) {
    for (const [i, method] of methods.entries()) {
      const paper = group.paper[method];
      const row = [i === 0 ? group.label : "", method, Number.isFinite(paper) ? format(paper) : "—"];
      for (const model of MODEL_COLUMNS) {
        const column = group.columns[model];
        if (column.kind === "absent") {
          row.push(i === 0 ? column.text : "", "");
          continue;
        }
        const values = column.values[method];
        const cell = cellStatistics(values);
        // sd = SE·√n, the same unbiased estimate the standard errors of the main table use.
        const sd = cell === undefined || values === undefined ? Number.NaN : scale * cell.standardError * Math.sqrt(values.length);
        row.push(Number.isFinite(sd) ? format(sd) : "—", ratio(sd, paper));
      }
      rows.push(row);
    }
  }
  return markdownTable(header, rows, header.map((_, i) => (i < 2 ? "l" : "r")));
}

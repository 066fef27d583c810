import { InvalidArgumentError } from "@smoothhess/errors";
import { type Dataset, createDataset } from "./dataset.js";
import { DatasetFormatError } from "./dataset-file-error.js";
import { openChunks } from "./file-chunks.js";

/** Options of {@link loadTabularCsv}. */
export interface TabularCsvOptions {
  /** The label column, by header name or 0-based number. Required. */
  readonly label: string | number;
  /**
   * Feature columns, by header name or number. Default: every other column whose fields are all numbers (or
   * missing); text and TRUE/FALSE columns are categorical and discarded, as Agarwal et al. §6.1 do.
   */
  readonly features?: readonly (string | number)[];
  /** Columns never to use as features (ids, leaks), by header name or number. */
  readonly exclude?: readonly (string | number)[];
  /**
   * The label value of the positive class: labels equal to it become class 1, all others class 0. Default: the
   * distinct label values, sorted (numbers numerically), become classes 0, 1, ….
   */
  readonly positive?: string;
  /** Field separator, one character (default `","`). */
  readonly delimiter?: string;
  /** Fields that mean "missing" (default `["", "?", "NA", "NaN"]`); a row with a missing feature or label is dropped. */
  readonly missing?: readonly string[];
}

/** What {@link loadTabularCsv} returns: the dataset and what was kept and dropped on the way. */
export interface TabularCsv {
  /** Classification dataset, `shape = [features]`, `classes` the label values (or `["other", positive]`). */
  readonly dataset: Dataset;
  /** The header names of the feature columns, in order (`column 3` etc. without a header). */
  readonly featureNames: readonly string[];
  /** Columns not used as features because they are not numeric (unless listed in `features`). */
  readonly categoricalColumns: readonly string[];
  /** Data rows dropped for a missing feature or label. */
  readonly droppedRows: number;
}

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Load a tabular classification dataset from a CSV file with a header line — e.g. the UCI Online Shoppers
 * Purchasing Intention (`Revenue` label, TRUE/FALSE) or Polish companies bankruptcy (`class` label) files that
 * Agarwal et al. use (§6.1) — keeping the numeric columns as features. Plain or gzipped (detected from the first
 * bytes). Fields may be surrounded by double quotes; quoted fields containing the delimiter are not supported.
 *
 * Standardise the features afterwards with `standardizeFeatures` (fitted on the training split).
 *
 * @throws {@link DatasetFileError} when the file cannot be opened; {@link DatasetFormatError} naming the file and
 *   line for a row with the wrong number of fields, a non-numeric field in a requested feature column, an
 *   unknown column, or a file without complete data rows; {@link InvalidArgumentError} for bad options.
 *
 * @example
 * ```ts
 * import { loadTabularCsv } from "@smoothhess/datasets";
 * const { dataset, featureNames } = await loadTabularCsv("online_shoppers_intention.csv", { label: "Revenue", positive: "TRUE" });
 * ```
 */
export async function loadTabularCsv(file: string, options: TabularCsvOptions): Promise<TabularCsv> {
  if (typeof options !== "object" || options === null) throw new InvalidArgumentError("options", "an options object with { label }", options);
  const delimiter = options.delimiter ?? ",";
  if (typeof delimiter !== "string" || delimiter.length !== 1 || delimiter === '"' || delimiter === "\n") {
    throw new InvalidArgumentError("options.delimiter", "one character other than a quote or a newline", delimiter);
  }
  checkColumnRef("options.label", options.label);
  for (const [name, list] of [["options.features", options.features], ["options.exclude", options.exclude]] as const) {
    if (list === undefined) continue;
    if (!Array.isArray(list)) throw new InvalidArgumentError(name, "an array of column names or numbers", list);
    list.forEach((c, i) => checkColumnRef(`${name}[${i}]`, c));
  }
  const missing = new Set(options.missing ?? ["", "?", "NA", "NaN"]);

  // Files of this kind are a few MB: read the whole text, then parse.
  const { chunks } = await openChunks(file);
  const decoder = new TextDecoder("utf-8");
  let text = "";
  for await (const chunk of chunks) text += decoder.decode(chunk, { stream: true });
  text += decoder.decode();
  const lines: { fields: string[]; line: number }[] = [];
  text.split("\n").forEach((raw, i) => {
    const t = raw.replace(/\r$/, "");
    if (t.trim() !== "") lines.push({ fields: t.split(delimiter).map(unquote), line: i + 1 });
  });
  if (lines.length < 2) throw new DatasetFormatError(file, "has no data lines after the header");
  const header = lines[0].fields;
  const columns = header.length;
  for (const { fields, line } of lines) {
    if (fields.length !== columns) throw new DatasetFormatError(file, `line ${line} has ${fields.length} fields, expected ${columns} like the header`);
  }
  const data = lines.slice(1);
  const resolve = (c: string | number, what: string): number => {
    if (typeof c === "number") {
      if (c >= columns) throw new DatasetFormatError(file, `has ${columns} columns, so ${what} column ${c} does not exist`);
      return c;
    }
    const k = header.indexOf(c);
    if (k < 0) throw new DatasetFormatError(file, `has no ${what} column ${JSON.stringify(c)} (its header has ${header.slice(0, 8).map((h) => JSON.stringify(h)).join(", ")}${columns > 8 ? ", …" : ""})`);
    return k;
  };
  const labelColumn = resolve(options.label, "label");
  const excluded = new Set((options.exclude ?? []).map((c) => resolve(c, "excluded")));
  const numeric = (c: number): boolean => data.every(({ fields }) => missing.has(fields[c]) || NUMBER.test(fields[c]));
  let featureColumns: number[];
  const categorical: string[] = [];
  if (options.features) {
    featureColumns = options.features.map((c) => resolve(c, "feature"));
    for (const c of featureColumns) {
      if (c === labelColumn) throw new DatasetFormatError(file, `column ${JSON.stringify(header[c])} is both the label and a feature`);
      const bad = data.find(({ fields }) => !missing.has(fields[c]) && !NUMBER.test(fields[c]));
      if (bad) throw new DatasetFormatError(file, `line ${bad.line}, column ${c + 1} (${JSON.stringify(header[c])}) is ${JSON.stringify(bad.fields[c].slice(0, 20))}, expected a number`);
    }
  } else {
    featureColumns = [];
    for (let c = 0; c < columns; c++) {
      if (c === labelColumn || excluded.has(c)) continue;
      if (numeric(c)) featureColumns.push(c);
      else categorical.push(header[c]);
    }
  }
  if (featureColumns.length === 0) throw new DatasetFormatError(file, "has no numeric feature columns");

  const kept = data.filter(({ fields }) => !missing.has(fields[labelColumn]) && featureColumns.every((c) => !missing.has(fields[c])));
  if (kept.length === 0) throw new DatasetFormatError(file, "has no complete data rows (every row misses a feature or the label)");
  let classes: string[];
  if (options.positive !== undefined) {
    if (typeof options.positive !== "string") throw new InvalidArgumentError("options.positive", "a label value (string)", options.positive);
    classes = [`not ${options.positive}`, options.positive];
  } else {
    const values = [...new Set(kept.map(({ fields }) => fields[labelColumn]))];
    const allNumbers = values.every((v) => NUMBER.test(v));
    classes = values.sort((a, b) => (allNumbers ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0));
  }
  const classIndex = new Map(classes.map((c, i) => [c, i]));
  const d = featureColumns.length;
  const x = new Float32Array(kept.length * d);
  const y = new Int32Array(kept.length);
  kept.forEach(({ fields }, r) => {
    featureColumns.forEach((c, j) => (x[r * d + j] = Number(fields[c])));
    const v = fields[labelColumn];
    y[r] = options.positive !== undefined ? (v === options.positive ? 1 : 0) : classIndex.get(v)!;
  });
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) throw new DatasetFormatError(file, `has a feature value outside the float32 range (row ${Math.floor(i / d) + 1} of the kept rows)`);
  }
  return {
    dataset: createDataset({ x, y, shape: [d], classes }),
    featureNames: featureColumns.map((c) => header[c]),
    categoricalColumns: categorical,
    droppedRows: data.length - kept.length,
  };
}

function checkColumnRef(argument: string, value: unknown): void {
  if (typeof value === "string") return;
  if (typeof value === "number" && Number.isInteger(value) && value >= 0) return;
  throw new InvalidArgumentError(argument, "a column name or a 0-based column number", value);
}

function unquote(field: string): string {
  const f = field.trim();
  return f.length >= 2 && f.startsWith('"') && f.endsWith('"') ? f.slice(1, -1).trim() : f;
}

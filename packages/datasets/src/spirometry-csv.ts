import { InvalidArgumentError, checkPositive } from "@smoothhess/errors";
import { type Dataset, createDataset } from "./dataset.js";
import { DatasetFormatError } from "./dataset-file-error.js";
import { openChunks } from "./file-chunks.js";
import { SPIROMETRY_INTERVAL, fev1FromCurve } from "./spirometry-model.js";

/** Options of {@link loadSpirometryCsv}. */
export interface SpirometryCsvOptions {
  /**
   * Column holding the label (e.g. FEV₁ in litres): a header name or a 0-based column number. Without it the
   * label is computed from each curve: its FEV₁, the volume at 1 s ({@link fev1FromCurve}).
   */
  label?: string | number;
  /** Columns that are neither curve samples nor the label (ids, dates), by header name or 0-based number. */
  ignore?: readonly (string | number)[];
  /**
   * Whether the first non-empty line is a header (default `"auto"`: it is when none of its fields is a
   * number; a first line that mixes numbers and text is reported as an error).
   */
  header?: boolean | "auto";
  /** Field separator, one character (default `","`). */
  delimiter?: string;
  /** Seconds between samples, to compute FEV₁ when there is no label column (default 0.05). */
  interval?: number;
}

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Load users' own volume-time curves from a CSV file (plain or gzipped, detected from its first bytes),
 * one curve per line: every column other than the label and the ignored ones is a volume sample, in order,
 * at `t_i = i · interval`. Fields may be surrounded by double quotes; quoted fields containing the delimiter
 * are not supported. Empty lines are skipped. The file is streamed once.
 *
 * @param file - path of the CSV file.
 * @param options - label and ignored columns, header, delimiter, sampling interval.
 * @returns a regression {@link Dataset}: `x` the curves (`shape = [samples, 1]`), `y` the label column or the
 *   FEV₁ computed from each curve.
 * @throws {@link DatasetFileError} when the file cannot be opened; {@link DatasetFormatError} naming the
 *   file, line and column for a non-numeric or empty field, a line with a different number of fields, an
 *   unknown label/ignored column, or a file without data lines.
 *
 * @example
 * ```ts
 * // eid,fev1,v0,v1,...,v299
 * const curves = await loadSpirometryCsv("blows.csv", { label: "fev1", ignore: ["eid"] });
 * ```
 */
export async function loadSpirometryCsv(file: string, options: SpirometryCsvOptions = {}): Promise<Dataset> {
  const delimiter = options.delimiter ?? ",";
  if (typeof delimiter !== "string" || delimiter.length !== 1 || delimiter === '"' || delimiter === "\n") {
    throw new InvalidArgumentError("options.delimiter", "one character other than a quote or a newline", delimiter);
  }
  const headerOption = options.header ?? "auto";
  if (headerOption !== true && headerOption !== false && headerOption !== "auto") {
    throw new InvalidArgumentError("options.header", 'true, false or "auto"', headerOption);
  }
  const interval = checkPositive("options.interval", options.interval ?? SPIROMETRY_INTERVAL);
  if (options.label !== undefined && typeof options.label !== "string" && !Number.isInteger(options.label)) {
    throw new InvalidArgumentError("options.label", "a column name or a 0-based column number", options.label);
  }
  const ignoreOption = options.ignore ?? [];
  if (!Array.isArray(ignoreOption)) throw new InvalidArgumentError("options.ignore", "an array of column names or numbers", ignoreOption);

  let columns = -1;
  let names: string[] | undefined;
  let labelColumn = -1;
  let isSample: boolean[] = [];
  let samples = 0;
  let x = new Float32Array(1 << 16);
  const y: number[] = [];
  let rows = 0;

  const setUp = (fields: string[], header: string[] | undefined, line: number) => {
    columns = fields.length;
    names = header;
    const resolveColumn = (c: string | number, what: string): number => {
      if (typeof c === "number") {
        if (c < 0 || c >= columns) {
          throw new DatasetFormatError(file, `has ${columns} columns on line ${line}, so ${what} column ${c} does not exist`);
        }
        return c;
      }
      const k = header?.indexOf(c) ?? -1;
      if (k < 0) {
        const known = header ? `its header has ${header.slice(0, 8).map((h) => JSON.stringify(h)).join(", ")}${header.length > 8 ? ", …" : ""}` : "it has no header";
        throw new DatasetFormatError(file, `has no ${what} column ${JSON.stringify(c)} (${known})`);
      }
      return k;
    };
    labelColumn = options.label === undefined ? -1 : resolveColumn(options.label, "label");
    isSample = new Array<boolean>(columns).fill(true);
    if (labelColumn >= 0) isSample[labelColumn] = false;
    for (const c of ignoreOption) isSample[resolveColumn(c, "ignored")] = false;
    samples = isSample.filter(Boolean).length;
    if (samples < 2) throw new DatasetFormatError(file, `has ${samples} curve column(s) on line ${line}, expected at least 2`);
  };

  const addRow = (fields: string[], line: number) => {
    if (fields.length !== columns) {
      throw new DatasetFormatError(file, `line ${line} has ${fields.length} fields, expected ${columns} like the first line`);
    }
    if ((rows + 1) * samples > x.length) {
      const grown = new Float32Array(Math.max(2 * x.length, (rows + 1) * samples));
      grown.set(x);
      x = grown;
    }
    let at = rows * samples;
    for (let c = 0; c < columns; c++) {
      if (!isSample[c] && c !== labelColumn) continue;
      const value = parseField(fields[c], line, c);
      if (c === labelColumn) y.push(value);
      else x[at++] = value;
    }
    rows++;
  };

  const parseField = (field: string, line: number, column: number): number => {
    const name = names ? ` (${JSON.stringify(names[column])})` : "";
    if (field === "") throw new DatasetFormatError(file, `line ${line}, column ${column + 1}${name} is empty, expected a number`);
    if (!NUMBER.test(field)) {
      const shown = field.length > 20 ? `${field.slice(0, 20)}…` : field;
      throw new DatasetFormatError(file, `line ${line}, column ${column + 1}${name} is ${JSON.stringify(shown)}, expected a number`);
    }
    const value = Number(field);
    if (!Number.isFinite(value)) {
      throw new DatasetFormatError(file, `line ${line}, column ${column + 1}${name} is ${field}, outside the float range`);
    }
    return value;
  };

  const onLine = (text: string, line: number) => {
    if (text.trim() === "") return;
    const fields = text.split(delimiter).map(unquote);
    if (columns < 0) {
      const numeric = fields.filter((f) => NUMBER.test(f)).length;
      const isHeader = headerOption === "auto" ? numeric === 0 : headerOption;
      if (headerOption === "auto" && numeric > 0 && numeric < fields.length) {
        const k = fields.findIndex((f) => !NUMBER.test(f));
        throw new DatasetFormatError(
          file,
          `line ${line} mixes numbers and text (column ${k + 1} is ${JSON.stringify(fields[k])}): ` +
            "not a header and not a data line (pass options.header to decide)",
        );
      }
      setUp(fields, isHeader ? fields : undefined, line);
      if (isHeader) return;
    }
    addRow(fields, line);
  };

  const { chunks } = await openChunks(file);
  const decoder = new TextDecoder("utf-8");
  let pending = "";
  let line = 0;
  for await (const chunk of chunks) {
    pending += decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = pending.indexOf("\n")) >= 0) {
      onLine(pending.slice(0, newline).replace(/\r$/, ""), ++line);
      pending = pending.slice(newline + 1);
    }
  }
  pending += decoder.decode();
  if (pending.length > 0) onLine(pending.replace(/\r$/, ""), ++line);
  if (rows === 0) throw new DatasetFormatError(file, "has no data lines");
  if (labelColumn < 0 && (samples - 1) * interval < 1) {
    throw new DatasetFormatError(
      file,
      `has curves of ${samples} samples, which at ${interval} s do not reach 1 s: FEV₁ cannot be computed (pass options.label)`,
    );
  }

  const curves = x.length === rows * samples ? x : x.slice(0, rows * samples);
  const labels = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    labels[r] = labelColumn >= 0 ? y[r] : fev1FromCurve(curves.subarray(r * samples, (r + 1) * samples), interval);
  }
  return createDataset({ x: curves, y: labels, shape: [samples, 1] });
}

function unquote(field: string): string {
  const f = field.trim();
  return f.length >= 2 && f.startsWith('"') && f.endsWith('"') ? f.slice(1, -1).trim() : f;
}

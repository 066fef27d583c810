import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { gunzipSync } from "node:zlib";
import { CorruptFileError } from "./corrupt-file-error.js";
import { checkRunTimings, type RunTimings } from "./run-timings.js";
import { sha256 } from "./sealed-json.js";

import type { ModelSource } from "./model-source.js";

/** Whose trained networks a run explained (`--model`): the same names as {@link ModelSource}. */
export type ModelName = ModelSource;

/** The model columns of a comparison table, in the order they are shown after the paper's. */
export const MODEL_COLUMNS: readonly ModelName[] = ["authors", "ours"];

/** How a column header names each model's run. */
export const MODEL_LABELS: Readonly<Record<ModelName, string>> = { authors: "authors' model", ours: "our model" };

/** The other model: the sibling run a report compares with. */
export function otherModel(model: ModelName): ModelName {
  return model === "authors" ? "ours" : "authors";
}

/** `<experiment>` for our trained models, `<experiment>-authors` for the authors' checkpoints (the folder under `--out`). */
export function runDirectoryName(experiment: string, model: ModelName): string {
  return model === "authors" ? `${experiment}-authors` : experiment;
}

/** A run's results.json, checked and with `model` resolved (a results.json without it predates `--model`: ours). */
export interface RunDocument {
  readonly directory: string;
  /** The file it was read from in `directory`: `results.json`, or `results.json.gz` for a compressed copy. */
  readonly file: string;
  readonly experiment: string;
  readonly model: ModelName;
  /** The explanation engine (`onnx`, `tfjs`); absent in results written before engines were selectable. */
  readonly engine?: string;
  readonly seed?: number;
  readonly backend?: string;
  /** What the run recorded of its compute time, checked by {@link checkRunTimings}. */
  readonly timings?: RunTimings;
  readonly config: unknown;
  readonly results: unknown;
}

/** The names under which a run's results are read, in order: as the runner writes them, and gzip-compressed for publishing. */
export const RESULTS_FILES = ["results.json", "results.json.gz"] as const;

/**
 * Read `<directory>/results.json` as the runner wrote it, or `results.json.gz` (the same document compressed with
 * gzip, as published copies keep it): the file's SHA-256 must match its line of `SHA256SUMS` beside it, it must be an
 * object naming `experiment`, and its `model` (absent: `"ours"`) must be `expectedModel`. Returns `undefined` when
 * there is neither.
 * @throws {@link CorruptFileError} (one line, naming the file) when SHA256SUMS is missing or lacks the line, the
 *   checksum differs, the file does not decompress, the JSON does not parse, its `timings` are not of the runner's
 *   shape ({@link checkRunTimings}), or the document is of another
 *   experiment or model or lacks `config` / `results`; the file system's error when a file exists but cannot be read.
 */
export async function readRunDocument(directory: string, experiment: string, expectedModel: ModelName): Promise<RunDocument | undefined> {
  let file: (typeof RESULTS_FILES)[number] | undefined;
  let bytes: Buffer | undefined;
  for (const name of RESULTS_FILES) {
    try {
      bytes = await readFile(join(directory, name));
      file = name;
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
  if (bytes === undefined || file === undefined) return undefined;
  const path = join(directory, file);
  const expected = await checksumOf(directory, file);
  if (sha256(bytes) !== expected) throw new CorruptFileError(path, "does not match its line in SHA256SUMS (the file was changed or corrupted)");
  if (file.endsWith(".gz")) {
    try {
      bytes = gunzipSync(bytes);
    } catch (error) {
      throw new CorruptFileError(path, `does not decompress (${(error as Error).message})`, error);
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString("utf8"));
  } catch (error) {
    throw new CorruptFileError(path, `is not valid JSON (${(error as Error).message})`, error);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new CorruptFileError(path, "is not a JSON object");
  const document = parsed as Record<string, unknown>;
  if (document.experiment !== experiment) {
    throw new CorruptFileError(path, `holds experiment ${JSON.stringify(document.experiment)}, expected ${JSON.stringify(experiment)}`);
  }
  const model = document.model ?? "ours";
  if (model !== expectedModel) throw new CorruptFileError(path, `holds model ${JSON.stringify(model)}, expected ${JSON.stringify(expectedModel)} in this folder`);
  for (const key of ["config", "results"]) {
    if (typeof document[key] !== "object" || document[key] === null) throw new CorruptFileError(path, `has no "${key}" object`);
  }
  return {
    directory,
    file,
    experiment,
    model: expectedModel,
    ...(typeof document.engine === "string" ? { engine: document.engine } : {}),
    ...(typeof document.seed === "number" ? { seed: document.seed } : {}),
    ...(typeof document.backend === "string" ? { backend: document.backend } : {}),
    ...(document.timings !== undefined ? { timings: checkRunTimings(path, document.timings) } : {}),
    config: document.config,
    results: document.results,
  };
}

/** The hex SHA-256 that `<directory>/SHA256SUMS` (sha256sum format) records for `name`. */
export async function checksumOf(directory: string, name: string): Promise<string> {
  const path = join(directory, "SHA256SUMS");
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new CorruptFileError(join(directory, name), "has no SHA256SUMS beside it, so it cannot be checked (an interrupted run, or copied without it)");
    }
    throw error;
  }
  for (const line of text.split("\n")) {
    const match = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (match && match[2] === name) return match[1];
  }
  throw new CorruptFileError(path, `has no line for ${name}`);
}

/** The run a report compares with (the other model's), as the report shows it. */
export type SiblingRun =
  | { readonly kind: "present"; readonly document: RunDocument }
  | { readonly kind: "missing"; readonly model: ModelName; readonly command: string }
  | { readonly kind: "unreadable"; readonly model: ModelName; readonly reason: string; readonly command: string };

/**
 * The other model's run of `experiment` under `out`, for the report of a run on `model`. A missing run is
 * `missing`; a damaged one (checksum, JSON, wrong experiment or model) is `unreadable` with the one-line reason,
 * so that a run's own report is still written. `command` is what fills the column.
 */
export async function readSiblingRun(out: string, experiment: string, model: ModelName, command: (sibling: ModelName) => string): Promise<SiblingRun> {
  const sibling = otherModel(model);
  try {
    const document = await readRunDocument(join(out, runDirectoryName(experiment, sibling)), experiment, sibling);
    return document ? { kind: "present", document } : { kind: "missing", model: sibling, command: command(sibling) };
  } catch (error) {
    if (!(error instanceof CorruptFileError)) throw error;
    return { kind: "unreadable", model: sibling, reason: error.message, command: command(sibling) };
  }
}

/** The model a run used, from its options (`--model`; absent before the option existed: ours). */
export function modelOfOptions(options: { readonly model?: string }): ModelName {
  return options.model === "authors" ? "authors" : "ours";
}

/**
 * The `--dataset` flag of a fill command when a report covers only some of its configuration's datasets. `--dataset`
 * is not part of the configuration (single-dataset runs fill the same checkpoints), so a report knows the selection
 * only from the datasets in its results; without the flag the command would compute the others too.
 */
export function datasetSelection(configured: readonly string[], reported: readonly string[]): string[] {
  return reported.length < configured.length ? [`--dataset ${reported.join(",")}`] : [];
}

/**
 * The command that runs `experiment` on `model` with the preset of the run being reported, and the overrides
 * (`--points`, `--samples`, `--seed`, `--dataset`) it used beyond the preset's defaults, so that the two columns compare like with like.
 */
export function fillCommand(experiment: string, model: ModelName, out: string, preset: string, overrides: readonly string[]): string {
  return ["pnpm reproduce", experiment, ...(model === "authors" ? ["--model authors"] : []), `--${preset}`, ...overrides, `--out ${out}`].join(" ");
}

/** The model a report's run used, and the other model's run it is compared with. */
export interface ModelComparison {
  readonly thisRun: ModelName;
  readonly sibling: SiblingRun;
}

/**
 * The legend line of each model column: `describe` of this run and of a present sibling (its preset, points,
 * samples), or why the sibling's column is empty and the command that fills it.
 */
export function columnNotes(comparison: ModelComparison, describeThisRun: string, describeSibling: (document: RunDocument) => string): Record<ModelName, string> {
  const { sibling } = comparison;
  const other = otherModel(comparison.thisRun);
  const siblingNote =
    sibling.kind === "present"
      ? `${describeSibling(sibling.document)}${sibling.document.engine ? `, engine ${sibling.document.engine}` : ""} (\`${join(sibling.document.directory, sibling.document.file)}\`, checked against its SHA256SUMS;` +
        ` \`pnpm reproduce report ${sibling.document.experiment} --out ${dirname(sibling.document.directory)}\` adds this run's column to its report)`
      : sibling.kind === "missing"
        ? `not run; \`${sibling.command}\` fills this column`
        : `not shown: ${sibling.reason}; \`${sibling.command}\` writes it again`;
  return { [comparison.thisRun]: describeThisRun, [other]: siblingNote } as Record<ModelName, string>;
}

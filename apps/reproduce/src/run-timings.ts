import { CorruptFileError } from "./corrupt-file-error.js";
import type { InvocationTotals } from "./invocation-log.js";

/** What a results.json records of a run's compute time (`timings`), as the runner writes it. */
export interface RunTimings {
  /** Wall seconds of the invocation that wrote the file. */
  readonly wallSeconds?: number;
  /** When it finished (ISO 8601). */
  readonly finishedAt?: string;
  /** The invocation ledger's totals over every invocation of the configuration (runs since the ledger existed). */
  readonly allInvocations?: InvocationTotals;
  /** The same split by each invocation's `--dataset` (`invocationDataset`; runs since the split existed). */
  readonly invocationsByDataset?: Readonly<Record<string, InvocationTotals>>;
}

const TOTALS_FIELDS = ["invocations", "wallSeconds", "cpuSeconds", "itemsComputed"] as const;

/**
 * Check the `timings` of a results.json field by field, so a report header never prints `undefined` or `NaN` hours.
 * The file's checksum already guards against damage; this guards against a document of another shape (hand-edited
 * and re-summed, or written by a version that recorded timings differently). Each field is optional, as older runs
 * lack the later ones, but a field that is present must have the runner's type.
 * @param path the file the value was read from, for the message.
 * @throws {@link CorruptFileError} naming the file and the first field that is not what the runner writes.
 */
export function checkRunTimings(path: string, value: unknown): RunTimings {
  const fail = (field: string, expected: string): never => {
    throw new CorruptFileError(path, `has timings.${field} that is not ${expected}`);
  };
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new CorruptFileError(path, "has timings that are not an object");
  }
  const timings = value as Record<string, unknown>;
  if (timings.wallSeconds !== undefined && !isSeconds(timings.wallSeconds)) fail("wallSeconds", "a non-negative number");
  if (timings.finishedAt !== undefined && typeof timings.finishedAt !== "string") fail("finishedAt", "a string");
  if (timings.allInvocations !== undefined) checkTotals(timings.allInvocations, "allInvocations", fail);
  if (timings.invocationsByDataset !== undefined) {
    const byDataset = timings.invocationsByDataset;
    if (typeof byDataset !== "object" || byDataset === null || Array.isArray(byDataset)) fail("invocationsByDataset", "an object");
    for (const [dataset, totals] of Object.entries(byDataset as object)) checkTotals(totals, `invocationsByDataset.${dataset}`, fail);
  }
  return timings as RunTimings;
}

function checkTotals(value: unknown, field: string, fail: (field: string, expected: string) => never): void {
  if (typeof value !== "object" || value === null) fail(field, "an object of invocation totals");
  for (const key of TOTALS_FIELDS) {
    if (!isSeconds((value as Record<string, unknown>)[key])) fail(`${field}.${key}`, "a non-negative number");
  }
}

function isSeconds(x: unknown): x is number {
  return typeof x === "number" && Number.isFinite(x) && x >= 0;
}

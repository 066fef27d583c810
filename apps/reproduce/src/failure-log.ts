import { appendFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { inspect } from "node:util";

/** Name of the log file a failed run appends its stack trace to. */
export const FAILURE_LOG = "smoothhess-reproduce-error.log";

/**
 * Record a runtime failure for the user: append the full error (stack, `cause` chain, fields) with the time and
 * the command to `<directory>/smoothhess-reproduce-error.log` (the system's temp directory when `directory` is
 * unknown or not writable), and return the one line to print: the error's first message line and where the
 * stack went. Synchronous, because it runs on the way out of the process.
 */
export function reportFailure(error: unknown, directory?: string): string {
  const headline = (error instanceof Error ? `${error.name === "Error" ? "" : `${error.name}: `}${error.message}` : String(error)).split("\n")[0].slice(0, 500);
  const entry = `--- ${new Date().toISOString()} smoothhess-reproduce ${process.argv.slice(2).join(" ")}\n${inspect(error, { depth: 6 })}\n`;
  for (const folder of [directory, tmpdir()]) {
    if (folder === undefined) continue;
    const path = resolve(join(folder, FAILURE_LOG));
    try {
      mkdirSync(folder, { recursive: true });
      appendFileSync(path, entry);
      return `${headline} (stack trace in ${path})`;
    } catch {
      // try the next folder
    }
  }
  return `${headline} (the stack trace could not be written to a log file)`;
}

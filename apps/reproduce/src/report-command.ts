import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "./atomic-write.js";
import type { AttackResults } from "./experiments/attack/compute.js";
import type { AttackConfig } from "./experiments/attack/config.js";
import { attackRunReport } from "./experiments/attack/report.js";
import { computeSummary } from "./compute-summary.js";
import { experiments } from "./experiments/index.js";
import type { PmseResults } from "./experiments/pmse/compute.js";
import type { PmseConfig } from "./experiments/pmse/config.js";
import { pmseRunReport } from "./experiments/pmse/report.js";
import { MODEL_COLUMNS, readRunDocument, runDirectoryName, type RunDocument } from "./model-runs.js";
import { lockOutputDirectory } from "./output-lock.js";
import { QUICK_NOTICE } from "./run-experiment.js";
import { sha256 } from "./sealed-json.js";
import { UsageError } from "./usage-error.js";

/** The report body of each experiment whose report `report` can rebuild, from a checked results.json. */
const REPORT_BODIES: Readonly<Record<string, (document: RunDocument, out: string) => Promise<string>>> = {
  pmse: (d, out) => pmseRunReport(d.config as PmseConfig, d.results as PmseResults, { out, model: d.model }),
  attack: (d, out) => attackRunReport(d.config as AttackConfig, d.results as AttackResults, { out, model: d.model }),
};

/** The experiments whose reports {@link rebuildReports} rebuilds. */
export const REBUILDABLE_REPORTS: readonly string[] = Object.keys(REPORT_BODIES);

/**
 * `report [experiments…] --out <dir>`: rebuild report.md of every run of those experiments under `out` (both
 * `<experiment>/` and `<experiment>-authors/`, so each report shows the other model's column) from its results.json,
 * checked against SHA256SUMS, without computing anything; the report.md line of SHA256SUMS is updated, figures are
 * kept. No names: every experiment of {@link REBUILDABLE_REPORTS} that has a run under `out`.
 * @returns the report.md paths written.
 * @throws {@link UsageError} for an experiment it cannot rebuild or that has no run under `out`, or when another
 *   run holds `out`; `CorruptFileError` for a results.json that does not match its checksum.
 */
export async function rebuildReports(out: string, names: readonly string[]): Promise<string[]> {
  for (const name of names) {
    if (!REBUILDABLE_REPORTS.includes(name)) {
      const known = experiments.some((e) => e.name === name);
      throw new UsageError(
        `report: ${known ? `the report of ${name} is written by its run only` : `unknown experiment ${JSON.stringify(name)}`}; report rebuilds ${REBUILDABLE_REPORTS.join(", ")}`,
      );
    }
  }
  const release = await lockOutputDirectory(out).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new UsageError(`report: --out ${JSON.stringify(out)} does not exist`);
    throw error;
  });
  try {
    const written: string[] = [];
    for (const name of names.length > 0 ? names : REBUILDABLE_REPORTS) {
      let found = 0;
      for (const model of MODEL_COLUMNS) {
        const directory = join(out, runDirectoryName(name, model));
        const document = await readRunDocument(directory, name, model);
        if (!document) continue;
        found++;
        written.push(await rewriteReport(document, out));
      }
      if (found === 0 && names.length > 0) {
        throw new UsageError(`report: no results of ${name} under ${out} (neither ${runDirectoryName(name, "ours")}/ nor ${runDirectoryName(name, "authors")}/ has a results.json or results.json.gz)`);
      }
    }
    if (written.length === 0) throw new UsageError(`report: no results of ${REBUILDABLE_REPORTS.join(" or ")} under ${out}`);
    return written;
  } finally {
    await release();
  }
}

/** Write report.md of one run from its checked results.json, and its new checksum into SHA256SUMS. */
async function rewriteReport(document: RunDocument, out: string): Promise<string> {
  let body: string;
  try {
    body = await REPORT_BODIES[document.experiment](document, out);
  } catch (error) {
    // The checksum held, so the file is what a run wrote: a run of a version with another results layout.
    if (error instanceof TypeError) {
      throw new UsageError(`report: ${join(document.directory, document.file)} has another layout than this version reads (${error.message}); rerun the experiment (it resumes from its checkpoints)`);
    }
    throw error;
  }
  const report = reportHeader(document) + body;
  const reportPath = join(document.directory, "report.md");
  await writeFileAtomic(reportPath, report);
  const sumsPath = join(document.directory, "SHA256SUMS");
  const lines = (await readFile(sumsPath, "utf8")).split("\n").filter((line) => line.length > 0);
  const line = `${sha256(report)}  report.md`;
  const at = lines.findIndex((l) => /^[0-9a-f]{64} [ *]report\.md$/.test(l));
  if (at < 0) lines.push(line);
  else lines[at] = line;
  await writeFileAtomic(sumsPath, `${lines.join("\n")}\n`);
  return reportPath;
}

/** The header the runner writes, from what results.json recorded (and the quick preset's smoke-test notice). */
export function reportHeader(document: RunDocument): string {
  const config = document.config as { preset?: string };
  const summary = experiments.find((e) => e.name === document.experiment)?.summary ?? "";
  const wall = document.timings?.wallSeconds;
  return (
    `# ${document.experiment}\n\n${summary}\n\n` +
    `Preset \`${config.preset}\`, seed ${document.seed}, backend \`${document.backend}\`${document.engine ? `, engine \`${document.engine}\`` : ""}` +
    `${document.model === "authors" ? ", the paper authors' trained networks" : ""}; wall time ${wall === undefined ? "?" : wall.toFixed(1)} s` +
    ` (the run's last invocation).${computeSummary(document.timings)} Numbers: \`${document.file}\`; this report was rebuilt from it by \`pnpm reproduce report\`.\n\n` +
    (config.preset === "quick" ? QUICK_NOTICE : "")
  );
}

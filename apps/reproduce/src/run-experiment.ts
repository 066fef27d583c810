import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "./atomic-write.js";
import { CheckpointStore } from "./checkpoint-store.js";
import { computeSummary } from "./compute-summary.js";
import { configurationFingerprint } from "./configuration-fingerprint.js";
import { effectiveEngine, experimentDirectoryName, type Experiment, type RunOptions } from "./experiment.js";
import { packageVersions } from "./package-versions.js";
import { createProgress } from "./progress.js";
import { sha256 } from "./sealed-json.js";
import { importModels } from "./shard-record.js";
import { InvocationLog } from "./invocation-log.js";

/** Paths of what a run wrote. */
export interface RunSummary {
  readonly directory: string;
  readonly resultsPath: string;
  readonly reportPath: string;
  readonly figures: readonly string[];
  /** `SHA256SUMS` beside them (`sha256sum -c SHA256SUMS` checks results.json, report.md and the figures). */
  readonly checksumsPath: string;
  readonly wallSeconds: number;
}

/**
 * Run one experiment: open its checkpoint store (one folder per configuration, so configurations never mix), copy
 * in the checkpoints of `options.from` (shards being merged, or a merge a shard continues from), run it, and write `results.json` (config, seed, package versions, backend, timings, every number), `report.md` and
 * `SHA256SUMS` (of those two and the figures, in `sha256sum` format) atomically.
 * @throws `StagePendingError` when a shard run (or a merge) stops at a stage that lacks other shards' items;
 *   nothing but checkpoints is written then.
 */
export async function runExperiment(experiment: Experiment, options: RunOptions): Promise<RunSummary> {
  const config = experiment.configure(options);
  const directoryName = experimentDirectoryName(experiment, options);
  const directory = join(options.out, directoryName);
  const engine = effectiveEngine(experiment, options);
  const model = options.model ?? "ours";
  const fingerprint = configurationFingerprint(experiment.name, config);
  const invocations = await InvocationLog.open(directory, fingerprint);
  const checkpoints = await CheckpointStore.open(join(directory, "checkpoints"), fingerprint, {
    fresh: options.fresh,
    config: { experiment: experiment.name, config },
    shard: options.shard,
    merging: options.merging,
    onComputed: () => invocations.itemComputed(),
  });
  const shared = experiment.sharedItems?.(config);
  if (shared !== undefined) {
    const sharedFingerprint = configurationFingerprint(experiment.name, shared.config);
    const copied = await checkpoints.importFrom(join(directory, "checkpoints", sharedFingerprint.slice(0, 16)), { fingerprint: sharedFingerprint, shares: shared.shares });
    if (copied > 0 && !options.quiet) {
      process.stderr.write(`${experiment.name}: reused ${copied} checkpoints of configuration ${sharedFingerprint.slice(0, 16)}, which computes them alike\n`);
    }
  }
  for (const source of options.from ?? []) {
    await importModels(source, options.out);
    await checkpoints.importFrom(join(source, directoryName, "checkpoints", fingerprint.slice(0, 16)));
    await invocations.importFrom(join(source, directoryName), fingerprint);
  }
  const started = performance.now();
  const output = await experiment.run(
    {
      options,
      directory,
      checkpoints,
      progress: (label, total) => createProgress(label, total, { quiet: options.quiet }),
      log: (message) => {
        if (!options.quiet) process.stderr.write(`${message}\n`);
      },
    },
    config,
  ).catch(async (error: unknown) => {
    // A failed or stopped run is part of what the configuration cost: record it before passing the error on.
    await invocations.close(false);
    throw error;
  });
  const wallSeconds = (performance.now() - started) / 1000;
  const resultsPath = join(directory, "results.json");
  const reportPath = join(directory, "report.md");
  const document = {
    experiment: experiment.name,
    config: output.config,
    seed: options.seed,
    backend: options.backend,
    model,
    engine,
    ...(options.merging && options.from ? { mergedShards: options.from.length } : {}),
    packageVersions: await packageVersions(),
    timings: { wallSeconds, finishedAt: new Date().toISOString(), allInvocations: invocations.totals(), invocationsByDataset: invocations.totalsByDataset() },
    results: output.results,
  };
  await writeFileAtomic(resultsPath, `${JSON.stringify(document, null, 2)}\n`);
  const header = `# ${experiment.name}\n\n${experiment.summary}\n\nPreset \`${options.preset}\`, seed ${options.seed}, backend \`${options.backend}\`, engine \`${engine}\`${model === "authors" ? ", the paper authors' trained networks" : ""}; wall time ${wallSeconds.toFixed(1)} s (this invocation; resumed items are not recomputed).${computeSummary(document.timings)} Numbers: \`results.json\`.\n\n`;
  await writeFileAtomic(reportPath, header + (options.preset === "quick" ? QUICK_NOTICE : "") + output.report);
  const checksumsPath = join(directory, "SHA256SUMS");
  const lines = [];
  for (const name of ["results.json", "report.md", ...output.figures]) lines.push(`${sha256(await readFile(join(directory, name)))}  ${name}\n`);
  await writeFileAtomic(checksumsPath, lines.join(""));
  await invocations.close(true);
  return { directory, resultsPath, reportPath, figures: output.figures, checksumsPath, wallSeconds };
}

/** The first paragraph of every quick report: what the quick preset's numbers can and cannot show. */
export const QUICK_NOTICE =
  "> **Smoke test, not a reproduction.** The quick preset uses few points, few Monte-Carlo samples and short training, so that every step of the pipeline runs in minutes. Its numbers show that the code runs end to end; they neither confirm nor refute the paper's claims. Run `--full` (the paper's point counts and sample sizes) for that.\n\n";

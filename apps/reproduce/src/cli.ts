#!/usr/bin/env node
import { Command, CommanderError } from "commander";
import { SmoothHessError } from "@smoothhess/errors";
import { experiments } from "./experiments/index.js";
import { reportFailure } from "./failure-log.js";
import { lockOutputDirectory } from "./output-lock.js";
import { parseOptions, type RawFlags } from "./parse-options.js";
import { preflight } from "./preflight.js";
import { OverallProgress } from "./overall-progress.js";
import { runExperiment } from "./run-experiment.js";
import { readShardRecords, writeShardRecord } from "./shard-record.js";
import { REBUILDABLE_REPORTS, rebuildReports } from "./report-command.js";
import { StagePendingError } from "./stage-pending.js";
import type { Experiment, RunOptions } from "./experiment.js";
import { UsageError } from "./usage-error.js";

/** Exit code of `merge` when the shards are merged but a later stage still needs a round of shard runs. */
const EXIT_STAGES_PENDING = 3;

/** Where a failure's stack trace goes: `--out` once it is known to be usable. */
let logDirectory: string | undefined;

// Every error ends in `fail`: tfjs-backend-wasm's Emscripten glue registers `uncaughtException` and
// `unhandledRejection` listeners that rethrow, which made Node exit with code 7 and print minified code. The
// capture callback takes precedence over those listeners.
process.setUncaughtExceptionCaptureCallback((error) => fail(error));
process.on("unhandledRejection", (reason) => fail(reason));

const program = new Command()
  .name("smoothhess-reproduce")
  .description("Regenerate the SmoothHess paper's experiments and compare them with the paper's numbers.")
  .argument("<experiment>", `one of: ${[...experiments.map((e) => e.name), "all"].join(", ")}; or merge, report (see below)`)
  .argument("[directories...]", "merge: the output directories of every shard; report: the experiments whose reports to rebuild")
  .option("--quick", "small point counts and short training (default)")
  .option("--full", "the paper's point counts and sample sizes")
  .option("--points <n>", "number of explained points (overrides the preset)")
  .option("--samples <n>", "Monte-Carlo gradient samples per point, even (overrides the preset)")
  .option("--seed <n>", "seed of everything random", "0")
  .option("--backend <name>", "tfjs backend for training and tfjs oracles: wasm, cpu, tensorflow", "wasm")
  .option("--engine <name>", "engine of the explanations (pmse, attack, four-quadrant): onnx (ONNX Runtime) or tfjs; training is always tfjs", "onnx")
  .option("--model <source>", "pmse, attack, four-quadrant: ours (train, cached) or authors (the paper authors' checkpoints; writes <out>/<experiment>-authors/)", "ours")
  .option("--dataset <names>", "pmse, attack: only these datasets, comma-separated (mnist, fmnist); resumes and fills the same checkpoints as a run of both")
  .option("--test-points <order>", "pmse, attack: seeded (default; a seeded draw from the test set) or first (its first --points images, the paper's points; needs the official test set: MNIST, or Fashion-MNIST from --data-dir)")
  .option("--out <dir>", "output directory (one run at a time: it is locked while a run uses it)", "results")
  .option("--data-dir <dir>", "directory with datasets that are not embedded (CIFAR-10 binaries, MNIST IDX files)")
  .option("--fresh", "recompute this experiment's checkpoints of this configuration instead of resuming them")
  .option("--quiet", "no progress output (warnings and errors are still printed)")
  .option("--shard <k/N>", "compute every N-th item of each stage, starting at item k (0 ≤ k < N); auto/N takes k from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID")
  .option("--from <dir>", "with --shard: first copy in the checkpoints of this merged directory (the next round of shards); repeatable", (dir: string, previous: string[] | undefined) => [...(previous ?? []), dir])
  .addHelpText(
    "after",
    `\nExperiments:\n${experiments.map((e) => `  ${e.name.padEnd(14)} ${e.summary}`).join("\n")}\n  ${"all".padEnd(14)} every experiment above, in order\n\n` +
      "Each run writes <out>/<experiment>/ (<out>/<experiment>-authors/ with --model authors): results.json, report.md, figures (SVG + PNG) and SHA256SUMS, and checkpoints per item:\n" +
      "rerun the same command after an interrupt to resume. Exit codes: 0 done, 1 failed (stack trace in the log file named on\n" +
      "stderr), 2 usage error (nothing was done), 3 merge finished but a later stage needs another round of shards.\n\n" +
      "Sharding: run `<experiment> --shard k/N --out <dir_k>` for k = 0…N−1 (any machines), then\n" +
      "`merge <dir_0> … <dir_N-1> --out <merged>`. When an experiment has stages (validation, then test), a shard stops after\n" +
      "its items of the current stage; merge exits 3 then: run the shards again with `--from <merged>` and merge again.\n\n" +
      `Reports: \`report [${REBUILDABLE_REPORTS.join(" ")}] --out <dir>\` rebuilds report.md of those runs (ours and the authors' model) from\n` +
      "their results.json, computing nothing: each report then shows the other model's column.",
  )
  .exitOverride()
  .configureOutput({ writeErr: () => {} })
  .action(async (name: string, directories: string[], flags: RawFlags) => {
    if (name === "merge") {
      process.exitCode = await merge(directories, flags);
      return;
    }
    if (name === "report") {
      const refused = program.options.filter((o) => o.long !== "--out" && o.long !== "--quiet" && program.getOptionValueSource(o.attributeName()) === "cli");
      if (refused.length > 0) throw new UsageError(`report rebuilds reports from results.json and takes only --out; remove ${refused.map((o) => o.long).join(", ")}`);
      for (const path of await rebuildReports(flags.out ?? "results", directories)) process.stdout.write(`report: ${path}\n`);
      return;
    }
    if (directories.length > 0) throw new UsageError(`unexpected argument${directories.length > 1 ? "s" : ""} ${directories.map((d) => JSON.stringify(d)).join(" ")} (only merge takes directories)`);
    const options = parseOptions(flags);
    // `all --model authors` runs the experiments that have the authors' checkpoints.
    const chosen = name === "all" ? experiments.filter((e) => options.model !== "authors" || e.authorsModel) : experiments.filter((e) => e.name === name);
    if (chosen.length === 0) {
      throw new UsageError(`unknown experiment ${JSON.stringify(name)}; choose one of ${[...experiments.map((e) => e.name), "all", "merge"].join(", ")}`);
    }
    for (const experiment of chosen) {
      if (options.datasets && !experiment.datasetOption) {
        throw new UsageError(`--dataset selects datasets of ${experiments.filter((e) => e.datasetOption).map((e) => e.name).join(", ")}; ${experiment.name} does not take it`);
      }
      if (options.testPointOrder !== undefined && !experiment.testPointOrderOption) {
        throw new UsageError(`--test-points chooses the test points of ${experiments.filter((e) => e.testPointOrderOption).map((e) => e.name).join(", ")}; ${experiment.name} does not take it`);
      }
      if (options.model === "authors" && !experiment.authorsModel) {
        throw new UsageError(`--model authors: the authors released checkpoints for ${experiments.filter((e) => e.authorsModel).map((e) => e.name).join(", ")} only, not for ${experiment.name}`);
      }
    }
    for (const experiment of chosen) experiment.configure(options); // validate every configuration before any work
    await preflight(options);
    const release = await lockOutputDirectory(options.out);
    logDirectory = options.out;
    try {
      if (options.shard) await writeShardRecord(options, chosen.map((e) => e.name));
      await runAll(chosen, options, (experiment, error) => {
        const { index, count } = options.shard!;
        process.stdout.write(
          `${experiment.name}: shard ${index}/${count} computed its items; waiting for the other shards: ${stageList(error)}. Next: merge every shard's --out\n`,
        );
      });
    } finally {
      await release();
    }
  });

/** Run `chosen` in order (with one overall progress line per experiment for `all`); `onPending` gets stopped stages. */
async function runAll(chosen: readonly Experiment[], options: RunOptions, onPending: (experiment: Experiment, error: StagePendingError) => void): Promise<void> {
  const overall = chosen.length > 1 && !options.quiet ? new OverallProgress(chosen.map((e) => e.name), (line) => process.stderr.write(`${line}\n`)) : undefined;
  for (const experiment of chosen) {
    overall?.starting(experiment.name);
    try {
      const summary = await runExperiment(experiment, options);
      process.stdout.write(`${experiment.name}: ${summary.reportPath} (${summary.wallSeconds.toFixed(1)} s)\n`);
    } catch (error) {
      if (!(error instanceof StagePendingError) || !(options.shard || options.merging)) throw error;
      onPending(experiment, error);
    }
    overall?.finish();
  }
}

function stageList(error: StagePendingError): string {
  return error.stages.map((s) => `"${s.stage}" ${s.present}/${s.total} items`).join(", ");
}

/**
 * `merge <dirs…> --out <dir>`: check the shards' records, copy their checkpoints and models into `--out` (each
 * checked) and run each experiment there without computing any staged item: a complete stage is assembled, an
 * incomplete one is reported. @returns the exit code: 0 all done, 3 a later stage needs another round of shards.
 */
async function merge(directories: string[], flags: RawFlags): Promise<number> {
  if (directories.length === 0) throw new UsageError("merge needs the output directories of the shards: merge <dir_0> … <dir_N-1> --out <merged>");
  const numbers = ["quick", "full", "points", "samples", "seed", "backend", "engine", "model", "dataset", "testPoints", "shard", "from", "fresh"];
  const given = program.options.filter((o) => numbers.includes(o.attributeName()) && program.getOptionValueSource(o.attributeName()) === "cli");
  if (given.length > 0) throw new UsageError(`merge takes its options from the shards' records; remove ${given.map((o) => o.long).join(", ")}`);
  const out = flags.out ?? "results";
  const records = await readShardRecords(directories);
  const options: RunOptions = { ...records.options, out, fresh: false, quiet: flags.quiet ?? false, from: directories, merging: true };
  const chosen = records.experiments.map((name) => {
    const experiment = experiments.find((e) => e.name === name);
    if (!experiment) throw new UsageError(`the shards ran experiment ${JSON.stringify(name)}, which this version does not know`);
    return experiment;
  });
  for (const experiment of chosen) experiment.configure(options);
  await preflight(options);
  const release = await lockOutputDirectory(out);
  logDirectory = out;
  let pending = false;
  try {
    await runAll(chosen, options, (experiment, error) => {
      pending = true;
      process.stdout.write(
        `${experiment.name}: merged ${records.count} shards; not complete yet: ${stageList(error)}. Next: run every shard again (a failed one resumes) with --from ${out}, then merge again\n`,
      );
    });
  } finally {
    await release();
  }
  return pending ? EXIT_STAGES_PENDING : 0;
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  fail(error);
}

/** Print one line and exit: 0 for help, 2 for usage errors (nothing done), 1 for failures (stack in a log file). */
function fail(error: unknown): never {
  if (error instanceof CommanderError) {
    if (error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.exitCode === 0) process.exit(0);
    process.stderr.write(`smoothhess-reproduce: ${error.message.replace(/^error: /, "")}\n`);
    process.exit(2);
  }
  // A library's argument error before the run starts comes from a flag; once work has started it is a failure.
  const beforeWork = logDirectory === undefined;
  if (error instanceof UsageError || (beforeWork && error instanceof SmoothHessError && (error.code === "invalid-argument" || error.code === "shard-merge"))) {
    process.stderr.write(`smoothhess-reproduce: ${error.message.split("\n")[0]}\n`);
    process.exit(2);
  }
  process.stderr.write(`smoothhess-reproduce: ${reportFailure(error, logDirectory)}\n`);
  process.exit(1);
}

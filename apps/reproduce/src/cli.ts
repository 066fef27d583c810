#!/usr/bin/env node
import { Command, CommanderError } from "commander";
import { SmoothHessError } from "@smoothhess/errors";
import { experiments } from "./experiments/index.js";
import { reportFailure } from "./failure-log.js";
import { lockOutputDirectory } from "./output-lock.js";
import { parseOptions, type RawFlags } from "./parse-options.js";
import { preflight } from "./preflight.js";
import { runExperiment } from "./run-experiment.js";
import { UsageError } from "./usage-error.js";

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
  .argument("<experiment>", `one of: ${[...experiments.map((e) => e.name), "all"].join(", ")}`)
  .option("--quick", "small point counts and short training (default)")
  .option("--full", "the paper's point counts and sample sizes")
  .option("--points <n>", "number of explained points (overrides the preset)")
  .option("--samples <n>", "Monte-Carlo gradient samples per point, even (overrides the preset)")
  .option("--seed <n>", "seed of everything random", "0")
  .option("--backend <name>", "tfjs backend for training and tfjs oracles: wasm, cpu, tensorflow", "wasm")
  .option("--out <dir>", "output directory (one run at a time: it is locked while a run uses it)", "results")
  .option("--data-dir <dir>", "directory with datasets that are not embedded (CIFAR-10 binaries, MNIST IDX files)")
  .option("--fresh", "recompute this experiment's checkpoints of this configuration instead of resuming them")
  .option("--quiet", "no progress output (warnings and errors are still printed)")
  .addHelpText(
    "after",
    `\nExperiments:\n${experiments.map((e) => `  ${e.name.padEnd(14)} ${e.summary}`).join("\n")}\n  ${"all".padEnd(14)} every experiment above, in order\n\n` +
      "Each run writes <out>/<experiment>/results.json, report.md, figures (SVG + PNG) and SHA256SUMS, and checkpoints per item:\n" +
      "rerun the same command after an interrupt to resume. Exit codes: 0 done, 1 failed (stack trace in the log file named on\n" +
      "stderr), 2 usage error (nothing was done).",
  )
  .exitOverride()
  .configureOutput({ writeErr: () => {} })
  .action(async (name: string, flags: RawFlags) => {
    const options = parseOptions(flags);
    const chosen = name === "all" ? experiments : experiments.filter((e) => e.name === name);
    if (chosen.length === 0) {
      throw new UsageError(`unknown experiment ${JSON.stringify(name)}; choose one of ${[...experiments.map((e) => e.name), "all"].join(", ")}`);
    }
    for (const experiment of chosen) experiment.configure(options); // validate every configuration before any work
    await preflight(options);
    const release = await lockOutputDirectory(options.out);
    logDirectory = options.out;
    try {
      for (const experiment of chosen) {
        const summary = await runExperiment(experiment, options);
        process.stdout.write(`${experiment.name}: ${summary.reportPath} (${summary.wallSeconds.toFixed(1)} s)\n`);
      }
    } finally {
      await release();
    }
  });

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
  if (error instanceof UsageError || (beforeWork && error instanceof SmoothHessError && error.code === "invalid-argument")) {
    process.stderr.write(`smoothhess-reproduce: ${error.message.split("\n")[0]}\n`);
    process.exit(2);
  }
  process.stderr.write(`smoothhess-reproduce: ${reportFailure(error, logDirectory)}\n`);
  process.exit(1);
}

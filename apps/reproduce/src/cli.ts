#!/usr/bin/env node
import { Command, CommanderError } from "commander";
import { SmoothHessError } from "@smoothhess/errors";
import { experiments } from "./experiments/index.js";
import { parseOptions, type RawFlags } from "./parse-options.js";
import { runExperiment } from "./run-experiment.js";
import { UsageError } from "./usage-error.js";

const program = new Command()
  .name("smoothhess-reproduce")
  .description("Regenerate the SmoothHess paper's experiments and compare them with the paper's numbers.")
  .argument("<experiment>", `one of: ${[...experiments.map((e) => e.name), "all"].join(", ")}`)
  .option("--quick", "small point counts and short training (default)")
  .option("--full", "the paper's point counts and sample sizes")
  .option("--points <n>", "number of explained points (overrides the preset)")
  .option("--samples <n>", "Monte-Carlo gradient samples per point (overrides the preset)")
  .option("--seed <n>", "seed of everything random", "0")
  .option("--backend <name>", "tfjs backend for training and tfjs oracles: wasm, cpu, tensorflow", "wasm")
  .option("--out <dir>", "output directory", "results")
  .option("--data-dir <dir>", "directory with datasets that are not embedded (CIFAR-10 binaries, MNIST IDX files)")
  .option("--fresh", "discard checkpoints of a different configuration instead of refusing to resume")
  .option("--quiet", "no progress output")
  .addHelpText(
    "after",
    `\nExperiments:\n${experiments.map((e) => `  ${e.name.padEnd(14)} ${e.summary}`).join("\n")}\n  ${"all".padEnd(14)} every experiment above, in order\n\nEach run writes <out>/<experiment>/results.json, report.md and figures (SVG + PNG), and checkpoints per item:\nrerun the same command after an interrupt to resume.`,
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
    for (const experiment of chosen) {
      const summary = await runExperiment(experiment, options);
      process.stdout.write(`${experiment.name}: ${summary.reportPath} (${summary.wallSeconds.toFixed(1)} s)\n`);
    }
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    if (error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.exitCode === 0) process.exit(0);
    process.stderr.write(`smoothhess-reproduce: ${error.message.replace(/^error: /, "")}\n`);
    process.exit(2);
  }
  if (error instanceof UsageError || (error instanceof SmoothHessError && error.code === "invalid-argument")) {
    process.stderr.write(`smoothhess-reproduce: ${error.message}\n`);
    process.exit(2);
  }
  throw error;
}

import { deriveSeed, gaussianSampler } from "@smoothhess/random";
import type { Experiment, ExperimentContext, RunOptions } from "./experiment.js";
import { runExperiment } from "./run-experiment.js";
import { writeShardRecord } from "./shard-record.js";
import { parseShard } from "./shard.js";
import { StagePendingError } from "./stage-pending.js";

/**
 * A toy experiment with the stage structure of pmse and attack: per part, a validation stage whose items are
 * independent, a choice that needs all of them, then a test stage whose items use the choice.
 */
/** The toy's configuration: validation and test items per part, and the seed. */
interface StagedToyConfig {
  readonly validation: number;
  readonly test: number;
  readonly seed: number;
}

export const stagedToy: Experiment<StagedToyConfig> = {
  name: "staged-toy",
  summary: "two parts, each validation → choice → test",
  configure: (options: RunOptions): StagedToyConfig => ({ validation: options.points ?? 7, test: 5, seed: options.seed }),
  async run(context: ExperimentContext, config) {
    const parts = [];
    for (const part of ["x", "y"]) {
      const result = await context.checkpoints.whenStagesComplete(() => runPart(context, config, part));
      if (result) parts.push(result);
    }
    context.checkpoints.throwIfStagesPending();
    return { config, results: { parts }, report: `chosen: ${parts.map((p) => p.chosen).join(", ")}\n`, figures: [] };
  },
};

async function runPart(context: ExperimentContext, config: StagedToyConfig, part: string) {
  const p = part === "x" ? 0 : 1;
  const stage = `toy ${part} validation`;
  const scores: number[][] = [];
  for (let i = 0; i < config.validation; i++) {
    const { value } = await context.checkpoints.getOrCompute(
      `val-${part}-${i}`,
      async () => Array.from(gaussianSampler(deriveSeed(config.seed, p, 0, i)).fillNormal(new Float64Array(3))),
      { stage, item: i },
    );
    scores.push(value);
  }
  context.checkpoints.completeStage(stage);
  const totals = [0, 1, 2].map((c) => scores.reduce((a, s) => a + s[c], 0));
  const chosen = totals.indexOf(Math.min(...totals));
  const testStage = `toy ${part} test`;
  const test: number[] = [];
  for (let j = 0; j < config.test; j++) {
    const { value } = await context.checkpoints.getOrCompute(
      `test-${part}-${j}`,
      async () => gaussianSampler(deriveSeed(config.seed, p, 1, j, chosen)).normal() / 3,
      { stage: testStage, item: j },
    );
    test.push(value);
  }
  context.checkpoints.completeStage(testStage);
  return { part, totals, chosen, test };
}

/** `node --import tsx shard-toy.test-helper.ts <out> <k/N> [from]`: one shard process; prints `done` or `pending`. */
async function main(argv: readonly string[]): Promise<void> {
  const [out, shard, from] = argv;
  const options: RunOptions = { preset: "quick", seed: 5, backend: "cpu", out, fresh: false, quiet: true, shard: parseShard(shard), ...(from ? { from: [from] } : {}) };
  const { mkdir } = await import("node:fs/promises");
  await mkdir(out, { recursive: true });
  await writeShardRecord(options, [stagedToy.name]);
  try {
    await runExperiment(stagedToy, options);
    process.stdout.write("done\n");
  } catch (error) {
    if (!(error instanceof StagePendingError)) throw error;
    process.stdout.write(`pending ${error.stages.map((s) => `${s.stage}:${s.present}/${s.total}`).join(",")}\n`);
  }
}

if (process.argv[1]?.endsWith("shard-toy.test-helper.ts")) await main(process.argv.slice(2));

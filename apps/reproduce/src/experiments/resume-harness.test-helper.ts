import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CheckpointStore, type CheckpointStoreOptions, type StagePlacement } from "../checkpoint-store.js";
import type { Experiment, ExperimentContext, RunOptions } from "../experiment.js";
import { StagePendingError } from "../stage-pending.js";

/** Thrown by the interrupting store in place of the (k+1)-th computed item. */
export class SimulatedInterrupt extends Error {
  constructor(readonly after: number) {
    super(`simulated interrupt after ${after} computed items`);
  }
}

function context(options: RunOptions, directory: string, checkpoints: CheckpointStore): ExperimentContext {
  return { options, directory, checkpoints, progress: () => ({ update() {}, stop() {} }), log: () => {} };
}

/** A store that computes `after` items normally, then throws {@link SimulatedInterrupt} instead of computing more. */
function interruptingStore(store: CheckpointStore, after: number): { store: CheckpointStore; computed: () => number } {
  let computed = 0;
  const wrapped = {
    get: store.get.bind(store),
    put: store.put.bind(store),
    bind: store.bind.bind(store),
    completeStage: store.completeStage.bind(store),
    whenStagesComplete: store.whenStagesComplete.bind(store),
    throwIfStagesPending: store.throwIfStagesPending.bind(store),
    getOrCompute<T>(key: string, compute: () => Promise<T>, placement?: StagePlacement) {
      return store.getOrCompute(
        key,
        async () => {
          if (computed >= after) throw new SimulatedInterrupt(after);
          computed++;
          return compute();
        },
        placement,
      );
    },
  };
  return { store: wrapped as unknown as CheckpointStore, computed: () => computed };
}

/**
 * Run `experiment` with `config` three times in fresh directories: once uninterrupted; once interrupted after
 * `after` computed items and then resumed in the same directory. Returns both `results` as JSON text (what
 * results.json holds besides timings), and how many items the resumed run found already computed.
 */
export async function uninterruptedAndResumed<C extends object>(
  experiment: Experiment<C>,
  config: C,
  after: number,
): Promise<{ uninterrupted: string; resumed: string; interruptedError: unknown; itemsBeforeInterrupt: number }> {
  const root = await mkdtemp(join(tmpdir(), `reproduce-${experiment.name}-`));
  try {
    const options = (out: string): RunOptions => ({ preset: "quick", seed: 0, backend: "wasm", out, fresh: false, quiet: true });
    const a = join(root, "a"), b = join(root, "b");
    const storeA = await CheckpointStore.open(join(a, experiment.name, "checkpoints"), "fingerprint");
    const uninterrupted = await experiment.run(context(options(a), join(a, experiment.name), storeA), config);
    const storeB = await CheckpointStore.open(join(b, experiment.name, "checkpoints"), "fingerprint");
    const { store, computed } = interruptingStore(storeB, after);
    let interruptedError: unknown;
    try {
      await experiment.run(context(options(b), join(b, experiment.name), store), config);
    } catch (error) {
      interruptedError = error;
    }
    const reopened = await CheckpointStore.open(join(b, experiment.name, "checkpoints"), "fingerprint");
    const resumed = await experiment.run(context(options(b), join(b, experiment.name), reopened), config);
    return {
      uninterrupted: JSON.stringify(uninterrupted.results),
      resumed: JSON.stringify(resumed.results),
      interruptedError,
      itemsBeforeInterrupt: computed(),
    };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/**
 * Run `experiment` with `config` once unsharded, and as `count` shards merged round by round the way
 * `--shard k/N` and `reproduce merge` do (each shard's store computes only its own staged items; the merge imports
 * every shard's checkpoints and computes no staged item; a shard's next round imports the merge's). Returns both
 * `results` as JSON text, the rounds the merge needed, and the item files each shard held after round 1.
 */
export async function unshardedAndMerged<C extends object>(
  experiment: Experiment<C>,
  config: C,
  count: number,
  maxRounds = 3,
): Promise<{ unsharded: string; merged: string; rounds: number; shardItemsAfterRoundOne: number[] }> {
  const root = await mkdtemp(join(tmpdir(), `reproduce-${experiment.name}-shards-`));
  try {
    const options = (out: string): RunOptions => ({ preset: "quick", seed: 0, backend: "wasm", out, fresh: false, quiet: true });
    const open = (out: string, storeOptions: CheckpointStoreOptions = {}) =>
      CheckpointStore.open(join(out, experiment.name, "checkpoints"), "fingerprint", storeOptions);
    const run = async (out: string, store: CheckpointStore) => experiment.run(context(options(out), join(out, experiment.name), store), config);
    const whole = join(root, "whole");
    const unsharded = JSON.stringify((await run(whole, await open(whole))).results);
    const shards = Array.from({ length: count }, (_, k) => join(root, `shard-${k}`));
    const merged = join(root, "merged");
    const shardItemsAfterRoundOne: number[] = [];
    for (let round = 1; round <= maxRounds; round++) {
      for (const [index, out] of shards.entries()) {
        const store = await open(out, { shard: { index, count } });
        if (round > 1) await store.importFrom((await open(merged, { merging: true })).directory);
        try {
          await run(out, store);
        } catch (error) {
          if (!(error instanceof StagePendingError)) throw error;
        }
        if (round === 1) shardItemsAfterRoundOne.push((await readdir(store.directory)).filter((f) => f.endsWith(".json") && f !== "manifest.json").length);
      }
      const mergeStore = await open(merged, { merging: true });
      for (const out of shards) await mergeStore.importFrom((await open(out)).directory);
      try {
        const output = await run(merged, mergeStore);
        return { unsharded, merged: JSON.stringify(output.results), rounds: round, shardItemsAfterRoundOne };
      } catch (error) {
        if (!(error instanceof StagePendingError)) throw error;
      }
    }
    throw new Error(`${experiment.name}: the merge still had pending stages after ${maxRounds} rounds`);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

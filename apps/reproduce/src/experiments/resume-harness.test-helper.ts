import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CheckpointStore, type StagePlacement } from "../checkpoint-store.js";
import type { Experiment, ExperimentContext, RunOptions } from "../experiment.js";

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

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CheckpointStore } from "../checkpoint-store.js";
import type { Experiment, RunOptions } from "../experiment.js";

/** Run `experiment` once on `config` in a fresh directory (removed afterwards); its `results`, as results.json holds them. */
export async function runConfig<C extends object>(experiment: Experiment<C>, config: C, overrides: Partial<RunOptions> = {}): Promise<unknown> {
  const root = await mkdtemp(join(tmpdir(), `reproduce-${experiment.name}-`));
  try {
    const options: RunOptions = { preset: "quick", seed: 0, backend: "wasm", out: root, fresh: false, quiet: true, ...overrides };
    const directory = join(root, experiment.name);
    const checkpoints = await CheckpointStore.open(join(directory, "checkpoints"), "fingerprint");
    const output = await experiment.run({ options, directory, checkpoints, progress: () => ({ update() {}, stop() {} }), log: () => {} }, config);
    return JSON.parse(JSON.stringify(output.results));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

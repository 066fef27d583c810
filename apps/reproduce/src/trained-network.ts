import { createHash } from "node:crypto";
import { access, readFile } from "node:fs/promises";
import { join } from "node:path";
import { loadNetwork, saveNetwork, trainNetwork, type Network, type TrainOptions, type TrainingData } from "@smoothhess/tfjs";
import { writeFileAtomic } from "./atomic-write.js";
import { stableStringify } from "./run-experiment.js";
import type { ExperimentContext } from "./experiment.js";

/**
 * Version of how `@smoothhess/tfjs` turns a seed into weights and batch orders, hashed into every cache key so that
 * models trained under an older scheme are retrained, not loaded. 2: initialisation and data order from
 * `@smoothhess/random` (1: tfjs's own pure-rand seeding, which gave every seed the same first draws).
 */
const SEEDING_VERSION = 2;

/** What the model cache remembers about a training run. */
export interface TrainingRecord {
  readonly key: string;
  readonly losses: readonly number[];
  readonly steps: number;
  readonly seconds: number;
}

/**
 * A network trained once per configuration and cached under `<out>/models/<hash>/` (tfjs format). Training
 * checkpoints every epoch into `<hash>.training/`, so an interrupted run resumes; a finished model is loaded
 * instead of retrained. `description` is everything that determines the weights (architecture, data, recipe,
 * seed, backend) and is hashed into the cache key.
 */
export async function trainedNetwork(
  context: ExperimentContext,
  description: Record<string, unknown>,
  build: () => Network,
  data: () => TrainingData,
  options: Omit<TrainOptions, "checkpointDir" | "onEpoch">,
): Promise<{ network: Network; record: TrainingRecord }> {
  const key = createHash("sha256").update(stableStringify({ ...description, seedingVersion: SEEDING_VERSION })).digest("hex").slice(0, 16);
  const root = join(context.options.out, "models");
  const modelDir = join(root, key);
  const recordPath = join(root, `${key}.json`);
  if (await exists(recordPath)) {
    context.log(`model ${key}: cached, loading ${modelDir}`);
    return { network: await loadNetwork(modelDir), record: JSON.parse(await readFile(recordPath, "utf8")) as TrainingRecord };
  }
  const network = build();
  const progress = context.progress(`training ${key.slice(0, 6)}`, options.epochs);
  const started = performance.now();
  const result = await trainNetwork(network, data(), {
    ...options,
    checkpointDir: join(root, `${key}.training`),
    onEpoch: ({ epoch }) => progress.update(epoch),
  });
  progress.stop();
  await saveNetwork(network, modelDir);
  const record: TrainingRecord = { key, losses: result.losses, steps: result.steps, seconds: (performance.now() - started) / 1000 };
  await writeFileAtomic(recordPath, JSON.stringify({ ...record, description }, null, 2));
  return { network, record };
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

import { createHash } from "node:crypto";
import { rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import {
  ModelFileError,
  loadNetwork,
  networkWeightsSha256,
  saveNetwork,
  trainNetwork,
  type Network,
  type TrainOptions,
  type TrainingData,
} from "@smoothhess/tfjs";
import { CorruptFileError } from "./corrupt-file-error.js";
import { stableStringify } from "./stable-stringify.js";
import { readSealedJson, writeSealedJson } from "./sealed-json.js";
import type { ExperimentContext } from "./experiment.js";
import { warn } from "./warnings.js";

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
  /** SHA-256 of the trained weights (`networkWeightsSha256`), checked against the cached model when it is loaded. */
  readonly weightsSha256: string;
}

/**
 * A network trained once per configuration and cached under `<out>/models/<hash>/` (tfjs format). Training
 * checkpoints every epoch into `<hash>.training/`, so an interrupted run resumes; a finished model is loaded
 * instead of retrained. `description` is everything that determines the weights (architecture, data, recipe,
 * seed, backend) and is hashed into the cache key.
 *
 * Everything is checked when read back: the model directory by its SHA-256s (`loadNetwork`), the record
 * `<hash>.json` by its seal, and the loaded weights against the digest in the record. A corrupted cache or
 * training checkpoint is reported in one warning line naming the file and the model is retrained from scratch,
 * never used. The experiment's checkpoints are bound to the weights' digest (`CheckpointStore.bind`), so items
 * computed with other weights are recomputed.
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
  const trainingDir = join(root, `${key}.training`);
  const discard = async () => {
    for (const path of [modelDir, recordPath, trainingDir]) await rm(path, { recursive: true, force: true });
  };

  const cached = await loadCached(modelDir, recordPath).catch(async (error: unknown) => {
    if (!(error instanceof ModelFileError || error instanceof CorruptFileError)) throw error;
    warn(`cached model ${key}: ${error.message}; retraining it`);
    await discard();
    return undefined;
  });
  if (cached) {
    context.log(`model ${key}: cached, loaded ${modelDir}`);
    await context.checkpoints.bind(`model-${key}`, cached.record.weightsSha256);
    return cached;
  }

  const train = async () => {
    const network = build();
    const progress = context.progress(`training ${key.slice(0, 6)}`, options.epochs);
    const started = performance.now();
    try {
      const result = await trainNetwork(network, data(), { ...options, checkpointDir: trainingDir, onEpoch: ({ epoch }) => progress.update(epoch) });
      return { network, result, seconds: (performance.now() - started) / 1000 };
    } catch (error) {
      network.dispose();
      throw error;
    } finally {
      progress.stop();
    }
  };
  let trained: Awaited<ReturnType<typeof train>>;
  try {
    trained = await train();
  } catch (error) {
    if (!(error instanceof ModelFileError && resolve(error.path) === resolve(trainingDir))) throw error;
    warn(`training checkpoint of model ${key}: ${error.message}; training from scratch`);
    await discard();
    trained = await train();
  }
  const { network, result, seconds } = trained;
  await saveNetwork(network, modelDir);
  const weightsSha256 = await networkWeightsSha256(network);
  const record: TrainingRecord = { key, losses: result.losses, steps: result.steps, seconds, weightsSha256 };
  await writeSealedJson(recordPath, { ...record, description }, 2);
  await context.checkpoints.bind(`model-${key}`, weightsSha256);
  return { network, record };
}

/** The cached model and its record, checked against each other; undefined when there is none. */
async function loadCached(modelDir: string, recordPath: string): Promise<{ network: Network; record: TrainingRecord } | undefined> {
  const record = await readSealedJson<TrainingRecord>(recordPath);
  if (record === undefined) return undefined;
  if (typeof record.weightsSha256 !== "string") throw new CorruptFileError(recordPath, "records no weightsSha256 (written by an older version)");
  const network = await loadNetwork(modelDir);
  const digest = await networkWeightsSha256(network);
  if (digest !== record.weightsSha256) {
    network.dispose();
    throw new CorruptFileError(recordPath, `records weights ${record.weightsSha256.slice(0, 12)}…, but ${modelDir} holds ${digest.slice(0, 12)}…`);
  }
  return { network, record };
}

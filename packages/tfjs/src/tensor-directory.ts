import * as tf from "@tensorflow/tfjs-core";
import { ModelFileError } from "./model-file-error.js";

/** Name of the JSON file in a saved directory (tfjs's own layout: `model.json` + binary weight shards). */
export const MODEL_JSON = "model.json";
/** Name of the single weight shard. */
export const WEIGHTS_BIN = "weights.bin";
/** Value of the `format` field this package writes. */
export const FORMAT = "smoothhess-tfjs";

/** The JSON part of a saved directory: tfjs's `ModelJSON` layout with this package's topology. */
export interface SavedModelJson {
  readonly format: typeof FORMAT;
  readonly formatVersion: 1;
  readonly generatedBy: string;
  /** `{ architecture, config }` of the network. */
  readonly modelTopology: Record<string, unknown>;
  /** Anything else (training state of a checkpoint). */
  readonly userDefinedMetadata?: Record<string, unknown>;
  /** Standard tfjs weights manifest: one group, one shard. */
  readonly weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

let sequence = 0;

/**
 * Write named tensors and JSON metadata to `dir` **atomically**: everything goes to a fresh sibling directory that
 * is renamed onto `dir` at the end, so a crash leaves either the old directory or the new one, never a mix.
 * @internal
 */
export async function writeTensorDirectory(
  dir: string,
  tensors: ReadonlyMap<string, tf.Tensor>,
  topology: Record<string, unknown>,
  metadata?: Record<string, unknown>,
): Promise<void> {
  const fs = await import("node:fs/promises");
  const path = await import("node:path");
  const target = path.resolve(dir);
  const stamp = `${process.pid}-${Date.now()}-${sequence++}`;
  const tmp = `${target}.tmp-${stamp}`;
  const old = `${target}.old-${stamp}`;
  const named: tf.NamedTensorMap = {};
  for (const [name, t] of tensors) named[name] = t;
  const { data, specs } = await tf.io.encodeWeights(named);
  const json: SavedModelJson = {
    format: FORMAT,
    formatVersion: 1,
    generatedBy: "@smoothhess/tfjs",
    modelTopology: topology,
    ...(metadata ? { userDefinedMetadata: metadata } : {}),
    weightsManifest: [{ paths: [WEIGHTS_BIN], weights: specs }],
  };
  await fs.mkdir(path.dirname(target), { recursive: true });
  await fs.mkdir(tmp);
  try {
    await fs.writeFile(path.join(tmp, WEIGHTS_BIN), new Uint8Array(data as ArrayBuffer));
    await fs.writeFile(path.join(tmp, MODEL_JSON), JSON.stringify(json, null, 1));
    let hadOld = false;
    try {
      await fs.rename(target, old);
      hadOld = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    await fs.rename(tmp, target);
    if (hadOld) await fs.rm(old, { recursive: true, force: true });
  } catch (error) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw new ModelFileError(target, "could not be written", error);
  }
}

/** True when `dir` holds a `model.json` written by this package. @internal */
export async function hasTensorDirectory(dir: string): Promise<boolean> {
  const fs = await import("node:fs/promises");
  const path = await import("node:path");
  try {
    await fs.access(path.join(path.resolve(dir), MODEL_JSON));
    return true;
  } catch {
    return false;
  }
}

/**
 * Read a directory written by {@link writeTensorDirectory}. The caller owns (and must dispose) the tensors.
 * @throws {@link ModelFileError} when it is missing, not in this format, or its weights are truncated.
 * @internal
 */
export async function readTensorDirectory(dir: string): Promise<{ json: SavedModelJson; tensors: Map<string, tf.Tensor> }> {
  const fs = await import("node:fs/promises");
  const path = await import("node:path");
  const target = path.resolve(dir);
  let json: SavedModelJson;
  let bytes: Uint8Array;
  try {
    json = JSON.parse(await fs.readFile(path.join(target, MODEL_JSON), "utf8")) as SavedModelJson;
  } catch (error) {
    throw new ModelFileError(target, `no readable ${MODEL_JSON}`, error);
  }
  if (json?.format !== FORMAT || !Array.isArray(json.weightsManifest) || json.weightsManifest.length !== 1) {
    throw new ModelFileError(target, `${MODEL_JSON} is not a ${FORMAT} file (format: ${String(json?.format)})`);
  }
  const group = json.weightsManifest[0];
  try {
    bytes = await fs.readFile(path.join(target, group.paths[0]));
  } catch (error) {
    throw new ModelFileError(target, `weight file ${group.paths[0]} is missing`, error);
  }
  const expected = group.weights.reduce((sum, w) => sum + w.shape.reduce((a, b) => a * b, 1) * 4, 0);
  if (bytes.byteLength !== expected) {
    throw new ModelFileError(target, `weight file has ${bytes.byteLength} bytes, the manifest describes ${expected}`);
  }
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const decoded = tf.io.decodeWeights(buffer, group.weights);
  return { json, tensors: new Map(Object.entries(decoded)) };
}

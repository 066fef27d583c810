import type * as tf from "@tensorflow/tfjs-core";
import { ModelFileError } from "./model-file-error.js";
import type { Architecture, Network } from "./network.js";
import { networkFromConfig } from "./paper-models.js";
import { readTensorDirectory, tensorsSha256, writeTensorDirectory } from "./tensor-directory.js";
import { requireBackend } from "./backend.js";

/** Every weight and buffer of a network by name. @internal */
export function networkTensors(network: Network): Map<string, tf.Tensor> {
  return new Map<string, tf.Tensor>([...network.weights, ...network.buffers]);
}

/**
 * Save a network to directory `dir` in tfjs's file layout: `model.json` (architecture, config and a standard
 * `weightsManifest`, plus the SHA-256 of the weights and of itself) and `weights.bin` (float32, little-endian).
 * Written atomically (a temp directory, files flushed with `write-file-atomic`, swapped in by rename); an existing
 * directory is replaced. Safe under concurrent callers, in one process or several: writers of one directory take
 * its lock (`<dir>.lock`, `proper-lockfile`) in turn, and the directory always holds one complete model.
 * @throws {@link ModelFileError} when the directory cannot be written (a path above it is a regular file, no
 *   permission).
 */
export async function saveNetwork(network: Network, dir: string): Promise<void> {
  await writeTensorDirectory(dir, networkTensors(network), { architecture: network.architecture, config: network.config });
}

/**
 * Load a network saved by {@link saveNetwork} (or a training checkpoint) into the current backend, after checking
 * the SHA-256 of `model.json` and `weights.bin` (directories written before the checksums existed load unchecked).
 * @throws {@link ModelFileError} for a missing or foreign directory, a `model.json` that is not valid JSON, a file
 *   that does not match its checksum (corrupted), or weights that do not fit the architecture.
 */
export async function loadNetwork(dir: string): Promise<Network> {
  requireBackend("loadNetwork");
  const { json, tensors } = await readTensorDirectory(dir);
  try {
    const topology = json.modelTopology as { architecture: Architecture; config: Record<string, unknown> };
    return networkFromConfig(topology.architecture, topology.config, tensors);
  } catch (error) {
    throw new ModelFileError(dir, "its weights do not match its architecture", error);
  } finally {
    for (const t of tensors.values()) t.dispose();
  }
}

/**
 * SHA-256 (hex) of a network's weights and buffers exactly as {@link saveNetwork} writes them to `weights.bin`,
 * i.e. the `weightsSha256` of its saved `model.json`. Two networks with equal fingerprints compute the same
 * function; use it to tie results to the weights that produced them.
 */
export async function networkWeightsSha256(network: Network): Promise<string> {
  return tensorsSha256(networkTensors(network));
}

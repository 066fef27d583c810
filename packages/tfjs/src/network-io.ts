import type * as tf from "@tensorflow/tfjs-core";
import { ModelFileError } from "./model-file-error.js";
import type { Architecture, Network } from "./network.js";
import { networkFromConfig } from "./paper-models.js";
import { readTensorDirectory, writeTensorDirectory } from "./tensor-directory.js";

/** Every weight and buffer of a network by name. @internal */
export function networkTensors(network: Network): Map<string, tf.Tensor> {
  return new Map<string, tf.Tensor>([...network.weights, ...network.buffers]);
}

/**
 * Save a network to directory `dir` in tfjs's file layout: `model.json` (architecture, config and a standard
 * `weightsManifest`) and `weights.bin` (float32, little-endian). Written atomically (temp directory + rename);
 * an existing directory is replaced.
 * @throws {@link ModelFileError} when the directory cannot be written.
 */
export async function saveNetwork(network: Network, dir: string): Promise<void> {
  await writeTensorDirectory(dir, networkTensors(network), { architecture: network.architecture, config: network.config });
}

/**
 * Load a network saved by {@link saveNetwork} (or a training checkpoint) into the current backend.
 * @throws {@link ModelFileError} for a missing or foreign directory, or weights that do not fit the architecture.
 */
export async function loadNetwork(dir: string): Promise<Network> {
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

import * as tf from "@tensorflow/tfjs-core";
import { InvalidArgumentError } from "@smoothhess/errors";
import { BN_EPSILON, type Network } from "@smoothhess/tfjs";
import { UnsupportedLayerError } from "../unsupported-layer-error.js";
import type { LayerProgram, ProgramLayer } from "./layer-program.js";

/** A {@link LayerProgram} that owns its tensors (snapshots of a network's weights); `dispose()` frees them. */
export interface OwnedLayerProgram extends LayerProgram {
  /** Free every tensor of the program. */
  dispose(): void;
}

type Pad = [[number, number], [number, number], [number, number], [number, number]];
const PAD1: Pad = [[0, 0], [1, 1], [1, 1], [0, 0]];
const ARCHITECTURES = '"mlp", "cnn1d", "resnet18"';

/**
 * The inference computation of a `Network` of `@smoothhess/tfjs` (an MLP, the spirometry 1-D CNN or ResNet-18) as
 * a {@link LayerProgram}, with **snapshots** of its weights and batch-norm statistics: later training of the
 * network does not reach the program, and disposing the network does not break it.
 *
 * Every weight and buffer of the network must be used by a layer of the program; a name the architecture does not
 * explain (a layer added to the network by hand) is refused rather than silently ignored. `tfjsSurrogates`
 * checks that the program reproduces `network.forward` at a probe point.
 *
 * @throws {@link UnsupportedLayerError} for an architecture other than `mlp`, `cnn1d`, `resnet18` (naming it) or
 *   a weight no layer of the architecture uses (naming the weight); {@link InvalidArgumentError} for a network
 *   whose weights do not match its config.
 */
export function networkProgram(network: Network): OwnedLayerProgram {
  if (typeof network !== "object" || network === null || !(network.weights instanceof Map) || typeof network.forward !== "function") {
    throw new InvalidArgumentError("network", "a Network from @smoothhess/tfjs", network);
  }
  const held: tf.Tensor[] = [];
  const used = new Set<string>();
  const take = (name: string, from: "weights" | "buffers" = "weights"): tf.Tensor => {
    const t = network[from].get(name);
    if (!t) {
      held.forEach((h) => h.dispose());
      throw new InvalidArgumentError(`network.${from}`, `a tensor named ${JSON.stringify(name)} (architecture ${network.architecture})`, undefined);
    }
    used.add(`${from}:${name}`);
    const copy = tf.keep(tf.clone(t));
    held.push(copy);
    return copy;
  };
  const batchNorm = (name: string): ProgramLayer => ({
    type: "batchNorm",
    name,
    gamma: take(`${name}/gamma`) as tf.Tensor1D,
    beta: take(`${name}/beta`) as tf.Tensor1D,
    mean: take(`${name}/mean`, "buffers") as tf.Tensor1D,
    variance: take(`${name}/variance`, "buffers") as tf.Tensor1D,
    epsilon: BN_EPSILON,
  });
  const dense = (name: string): ProgramLayer => ({
    type: "dense",
    name,
    kernel: take(`${name}/kernel`) as tf.Tensor2D,
    bias: take(`${name}/bias`) as tf.Tensor1D,
  });

  let layers: ProgramLayer[];
  const config = network.config as Record<string, unknown>;
  switch (network.architecture) {
    case "mlp": {
      layers = [];
      const count = (config.sizes as number[]).length - 1;
      for (let i = 0; i < count; i++) {
        layers.push(dense(`dense${i}`));
        if (i < count - 1) layers.push({ type: "activation", name: `dense${i}/activation` });
      }
      break;
    }
    case "cnn1d": {
      const length = config.length as number;
      layers = [{ type: "reshape", name: "input", shape: [length, 1] }];
      for (let b = 0; b < (config.blocks as number); b++) {
        layers.push({
          type: "residual",
          name: `block${b}`,
          branch: [
            { type: "conv1d", name: `block${b}/conv`, filter: take(`block${b}/conv`) as tf.Tensor3D, stride: 1, pad: "same" },
            batchNorm(`block${b}/bn`),
            { type: "activation", name: `block${b}/activation` },
          ],
        });
      }
      layers.push({ type: "mean", name: "time-mean", axes: [1] }, dense("fc"));
      break;
    }
    case "resnet18": {
      const [h, w, c] = config.inputShape as [number, number, number];
      const blocks = config.blocks as number[];
      const width = config.width as number;
      const conv = (name: string, strides: number, pad: Pad | "valid"): ProgramLayer => ({
        type: "conv2d",
        name,
        filter: take(name) as tf.Tensor4D,
        strides,
        pad,
      });
      layers = [
        { type: "reshape", name: "input", shape: [h, w, c] },
        conv("stem/conv", 1, PAD1),
        batchNorm("stem/bn"),
        { type: "activation", name: "stem/activation" },
      ];
      let cin = width;
      for (let s = 0; s < 4; s++) {
        const cout = width * 2 ** s;
        for (let b = 0; b < blocks[s]; b++) {
          const stride = s > 0 && b === 0 ? 2 : 1;
          const name = `stage${s}/block${b}`;
          const projected = stride !== 1 || cin !== cout;
          layers.push(
            {
              type: "residual",
              name,
              branch: [
                conv(`${name}/conv1`, stride, PAD1),
                batchNorm(`${name}/bn1`),
                { type: "activation", name: `${name}/activation1` },
                conv(`${name}/conv2`, 1, PAD1),
                batchNorm(`${name}/bn2`),
              ],
              shortcut: projected ? [conv(`${name}/shortcut/conv`, stride, "valid"), batchNorm(`${name}/shortcut/bn`)] : undefined,
            },
            { type: "activation", name: `${name}/activation2` },
          );
          cin = cout;
        }
      }
      layers.push({ type: "mean", name: "spatial-mean", axes: [1, 2] }, dense("fc"));
      break;
    }
    default:
      throw new UnsupportedLayerError(`network.architecture`, `architecture ${JSON.stringify(network.architecture)}`, ARCHITECTURES);
  }
  for (const from of ["weights", "buffers"] as const) {
    for (const name of network[from].keys()) {
      if (!used.has(`${from}:${name}`)) {
        held.forEach((t) => t.dispose());
        throw new UnsupportedLayerError(name, `a ${from === "weights" ? "weight" : "buffer"} that no layer of a ${network.architecture} uses`, ARCHITECTURES + " as built by @smoothhess/tfjs");
      }
    }
  }
  let disposed = false;
  return {
    inputSize: network.inputSize,
    layers,
    dispose() {
      if (disposed) return;
      disposed = true;
      held.forEach((t) => t.dispose());
    },
  };
}

import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { decodeModel, type IrGraph } from "@smoothhess/onnx";
import { mlpFromDenseKernels, type Network } from "@smoothhess/tfjs";
import { CorruptFileError } from "./corrupt-file-error.js";
import { sha256 } from "./sealed-json.js";

/** The three checkpoints the SmoothHess authors released (MaxTorop/SmoothHess, MIT), as `@smoothhess/onnx` ships them. */
export type AuthorsModelName = "mnist" | "fmnist" | "four-quadrant";

/** One of the authors' checkpoints: its ONNX bytes (for the ONNX engine) and the same weights as a tfjs MLP. */
export interface AuthorsModel {
  readonly name: AuthorsModelName;
  /** The ONNX file as shipped (checked against the fixtures' manifest). */
  readonly file: string;
  readonly sha256: string;
  /** Architecture from the manifest, e.g. `784-500-300-250-250-250-10`. */
  readonly architecture: string;
  /** The checkpoint it was exported from, in the authors' repository. */
  readonly sourceCheckpoint: string;
  readonly onnx: Uint8Array;
  /** The same weights as this project's MLP (float32, ReLU between layers): training-free tfjs paths use it. */
  readonly network: Network;
}

interface ManifestEntry {
  readonly onnx: string;
  readonly sha256: string;
  readonly sourceCheckpoint: string;
  readonly architecture: string;
}

/** Where `@smoothhess/onnx` keeps the authors' checkpoints and their manifest (a workspace package: resolved, not copied). */
export function authorsFixturesDirectory(): string {
  return join(dirname(createRequire(import.meta.url).resolve("@smoothhess/onnx/package.json")), "fixtures");
}

/**
 * Load one of the authors' checkpoints, checked: the file's SHA-256 against the manifest, the graph against the
 * manifest's architecture (a chain of `Gemm` (transB = 1, α = β = 1) and `Relu`, as `torch.onnx.export` writes
 * `nn.Linear`/`nn.ReLU`). The weights are copied into this project's MLP (`mlpFromDenseKernels`, kernels transposed to
 * tfjs' `[inputs, outputs]`) so that every tfjs path (predicted classes, the internal neuron, the float64 reference)
 * runs on them unchanged. Dispose `network` when done.
 * @throws {@link CorruptFileError} naming the file when its digest, structure or weights do not match.
 */
export async function loadAuthorsModel(name: AuthorsModelName, directory = authorsFixturesDirectory()): Promise<AuthorsModel> {
  const manifestPath = join(directory, "manifest.json");
  const manifest = JSON.parse(await readFile(manifestPath, "utf8")) as Record<string, ManifestEntry | undefined>;
  const entry = manifest[`${name}-mlp`];
  if (!entry) throw new CorruptFileError(manifestPath, `has no entry "${name}-mlp"`);
  const file = join(directory, entry.onnx);
  const onnx = new Uint8Array(await readFile(file));
  const digest = sha256(onnx);
  if (digest !== entry.sha256) throw new CorruptFileError(file, `has SHA-256 ${digest.slice(0, 12)}…, the manifest records ${entry.sha256.slice(0, 12)}…`);
  const sizes = entry.architecture.split("-").map(Number);
  const network = networkFromGemmChain(decodeModel(onnx, file), sizes, file);
  return { name, file: entry.onnx, sha256: digest, architecture: entry.architecture, sourceCheckpoint: entry.sourceCheckpoint, onnx, network };
}

/** The tfjs MLP of a Gemm/Relu chain with layer widths `sizes`. */
function networkFromGemmChain(graph: IrGraph, sizes: readonly number[], file: string): Network {
  const gemms = graph.nodes.filter((node) => node.opType === "Gemm");
  const others = graph.nodes.filter((node) => node.opType !== "Gemm" && node.opType !== "Relu");
  if (others.length > 0 || gemms.length !== sizes.length - 1) {
    throw new CorruptFileError(file, `is not a Gemm/Relu chain of ${sizes.length - 1} layers (found ${graph.nodes.map((n) => n.opType).join(", ")})`);
  }
  const layers = gemms.map((node, l) => {
    const attribute = (key: string, fallback: number) => {
      const a = node.attributes[key];
      return a && (a.type === "int" || a.type === "float") ? a.value : fallback;
    };
    if (attribute("transB", 0) !== 1 || attribute("transA", 0) !== 0 || attribute("alpha", 1) !== 1 || attribute("beta", 1) !== 1) {
      throw new CorruptFileError(file, `Gemm ${node.name} is not y = x·Wᵀ + b (transB = 1, α = β = 1)`);
    }
    const weight = graph.initializers.get(node.inputs[1]);
    const bias = graph.initializers.get(node.inputs[2]);
    const [outputs, inputs] = [sizes[l + 1], sizes[l]];
    if (!weight || !bias || weight.dims.join("x") !== `${outputs}x${inputs}` || bias.dims.join("x") !== `${outputs}` || !(weight.data instanceof Float32Array) || !(bias.data instanceof Float32Array)) {
      throw new CorruptFileError(file, `layer ${l} does not hold float32 weights ${outputs}×${inputs} and bias ${outputs}`);
    }
    return { weight: weight.data, bias: bias.data, inputs, outputs };
  });
  const kernels = layers.map(({ weight, bias, inputs, outputs }) => ({
    // PyTorch's nn.Linear stores [outputs, inputs]; tfjs Dense kernels are [inputs, outputs].
    kernel: tf.tidy(() => tf.transpose(tf.tensor2d(weight, [outputs, inputs]))),
    bias: tf.tensor1d(bias),
  }));
  try {
    return mlpFromDenseKernels(kernels); // copies the tensors
  } finally {
    for (const { kernel, bias } of kernels) {
      kernel.dispose();
      bias.dispose();
    }
  }
}

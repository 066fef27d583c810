import * as tf from "@tensorflow/tfjs-core";
import { DisposedError, InvalidArgumentError, checkFiniteArray, checkInteger, described } from "@smoothhess/errors";
import type { GradientBatch, GradientOracle, PointBatch } from "@smoothhess/oracle";
import type { Network } from "@smoothhess/tfjs";
import { DEFAULT_DENSE_LIMIT, checkDirections, checkPointBatch } from "../check-inputs.js";
import { NoReluError } from "../no-relu-error.js";
import type { HessianBatch, HessianVectorProducts, LogitJacobian, SecondOrderModel, SurrogateNetwork } from "../second-order-model.js";
import { checkSurrogateActivation, type ModelActivation, type SurrogateActivationInput } from "../surrogate-activation.js";
import { resolveSurrogateTarget, type SurrogateTarget } from "../surrogate-target.js";
import { UnsupportedLayerError } from "../unsupported-layer-error.js";
import { CompiledProgram, type LayerProgram } from "./layer-program.js";
import { networkProgram } from "./network-program.js";
import { disposeFirstOrder, firstOrderPass, hessianTimes, logitJacobianAt, programShape, type ProgramShape } from "./program-engine.js";

/** Options of {@link tfjsSurrogates}. */
export interface TfjsSurrogatesOptions {
  /** Directions per linear pass when a dense Hessian is formed from Hessian-vector products. Default 128. */
  readonly directionBatch?: number;
  /** Points per first-order pass (oracle calls and the batch of `hessians`). Default 256. */
  readonly maxBatchSize?: number;
  /** Largest input dimension for which `hessians` forms dense d×d matrices. Default 8192. */
  readonly denseLimit?: number;
}

/** A {@link SecondOrderModel} computed with tfjs (float32 on the device, float64 on the host); methods are async. */
export interface TfjsModel extends SecondOrderModel {
  oracle(target: SurrogateTarget): GradientOracle;
  hessians(points: PointBatch, n: number, target: SurrogateTarget): Promise<HessianBatch>;
  hessianVectorProducts(x0: ArrayLike<number>, directions: ArrayLike<number>, k: number, target: SurrogateTarget): Promise<HessianVectorProducts>;
  logitJacobian(x0: ArrayLike<number>): Promise<LogitJacobian>;
}

/** The {@link SurrogateNetwork} of a tfjs network; holds tensors until {@link TfjsSurrogates.dispose}. */
export interface TfjsSurrogates extends SurrogateNetwork<TfjsModel> {
  /** The layer program the passes run (snapshots of the network's weights when built from a `Network`). */
  readonly program: LayerProgram;
  /** Free the program's tensors; every model of this network stops working. */
  dispose(): void;
}

function isNetwork(value: unknown): value is Network {
  const v = value as Partial<Network> | null;
  return typeof v === "object" && v !== null && typeof v.forward === "function" && v.weights instanceof Map;
}

/**
 * The {@link SurrogateNetwork} capability of a tfjs ReLU network: `original` is the network, `surrogate(a)` the
 * same weights with every ReLU replaced by SoftPlus_β, Swish_β or GELU, with exact gradients, Hessians and
 * Hessian-vector products. Accepts a `Network` of `@smoothhess/tfjs` (MLP, 1-D CNN, ResNet-18; the program is built
 * by {@link networkProgram} from snapshots of its weights and checked against `network.forward`) or a hand-written
 * {@link LayerProgram} (whose tensors stay the caller's).
 *
 * The weights stay tensors on the current backend; a surrogate is a label `{ name, beta }` and β enters each pass as
 * a scalar tensor, so a β sweep rebuilds and retraces nothing. The Hessian is assembled from Hessian-vector products
 * that ask tfjs for first derivatives only (see the README), because tfjs's own second derivatives are wrong for
 * sigmoid-based ops.
 *
 * @param source - a `Network` or a `LayerProgram`.
 * @param options - batch sizes and the dense limit.
 * @throws {@link NoReluError} when there is no activation site to replace; {@link UnsupportedLayerError} naming an
 *   unknown layer type, architecture or weight, or when the program does not reproduce `network.forward`.
 * @example
 * ```ts
 * const net = tfjsSurrogates(paperMnistMlp(1));
 * const sp = net.surrogate({ name: "softplus", beta: 10 });
 * const { hessians } = await sp.hessians(x0, 1, { output: 3 });   // 784×784, Float64Array
 * net.dispose();
 * ```
 */
export function tfjsSurrogates(source: Network | LayerProgram, options: TfjsSurrogatesOptions = {}): TfjsSurrogates {
  const directionBatch = checkInteger("options.directionBatch", options.directionBatch ?? 128, 1);
  const maxBatchSize = checkInteger("options.maxBatchSize", options.maxBatchSize ?? 256, 1);
  const denseLimit = checkInteger("options.denseLimit", options.denseLimit ?? DEFAULT_DENSE_LIMIT, 1);
  const fromNetwork = isNetwork(source);
  const owned = fromNetwork ? networkProgram(source) : undefined;
  let compiled: CompiledProgram;
  let shape: ProgramShape;
  try {
    compiled = new CompiledProgram(owned ?? (source as LayerProgram), fromNetwork ? "network" : "program");
    if (compiled.siteCount === 0) {
      throw new NoReluError(fromNetwork ? "network" : "program", fromNetwork ? "a network with no hidden layer" : "a program with no activation layer");
    }
    shape = programShape(compiled);
    if (fromNetwork) checkAgainstForward(source, compiled, shape);
  } catch (error) {
    owned?.dispose();
    throw error;
  }
  const program: LayerProgram = owned ?? (source as LayerProgram);
  let disposed = false;
  const alive = () => {
    if (disposed) throw new DisposedError("this set of tfjs surrogates", "create a new one with tfjsSurrogates()");
  };
  const hiddenSizes = Object.freeze([...shape.siteSizes]);
  const targetShape = { outputDim: shape.outputDim, hiddenSizes };
  const d = compiled.inputSize;

  const model = (activation: ModelActivation): TfjsModel => {
    const run = async (points: Float32Array, n: number, target: SurrogateTarget, adjoints: boolean) => {
      alive();
      return firstOrderPass(compiled, shape, activation, resolveSurrogateTarget(targetShape, target), points, n, adjoints);
    };
    return {
      dim: d,
      outputDim: shape.outputDim,
      hiddenSizes,
      activation,
      oracle(target: SurrogateTarget): GradientOracle {
        const resolved = resolveSurrogateTarget(targetShape, target);
        return {
          dim: d,
          maxBatchSize,
          async evaluate(points: PointBatch, n: number): Promise<GradientBatch> {
            alive();
            const count = checkInteger("n", n, 0);
            checkFiniteArray("points", points, count * d);
            const values = new Float64Array(count);
            const gradients = new Float32Array(count * d);
            for (let start = 0; start < count; start += maxBatchSize) {
              const m = Math.min(maxBatchSize, count - start);
              const chunk = Float32Array.from(points.subarray(start * d, (start + m) * d));
              const first = await firstOrderPass(compiled, shape, activation, resolved, chunk, m, false);
              disposeFirstOrder(first);
              values.set(first.values, start);
              gradients.set(first.gradients, start * d);
            }
            return { values, gradients };
          },
        };
      },
      async hessians(points: PointBatch, n: number, target: SurrogateTarget): Promise<HessianBatch> {
        const count = checkPointBatch(points, n, d, denseLimit);
        const resolved = resolveSurrogateTarget(targetShape, target);
        const values = new Float64Array(count);
        const gradients = new Float64Array(count * d);
        const hessians = new Float64Array(count * d * d);
        for (let start = 0; start < count; start += maxBatchSize) {
          const m = Math.min(maxBatchSize, count - start);
          alive();
          const first = await firstOrderPass(compiled, shape, activation, resolved, Float32Array.from(points.subarray(start * d, (start + m) * d)), m, true);
          try {
            values.set(first.values, start);
            gradients.set(first.gradients, start * d);
            for (let p = 0; p < m; p++) {
              const h = hessians.subarray((start + p) * d * d, (start + p + 1) * d * d);
              for (let j0 = 0; j0 < d; j0 += directionBatch) {
                const k = Math.min(directionBatch, d - j0);
                const eye = new Float32Array(k * d);
                for (let r = 0; r < k; r++) eye[r * d + j0 + r] = 1;
                h.set(await hessianTimes(compiled, activation, resolved, first, p, eye, k), j0 * d);
              }
              symmetrize(h, d);
            }
          } finally {
            disposeFirstOrder(first);
          }
        }
        return { n: count, d, values, gradients, hessians };
      },
      async hessianVectorProducts(x0, directions, k, target): Promise<HessianVectorProducts> {
        const count = checkDirections(x0, directions, k, d);
        const resolved = resolveSurrogateTarget(targetShape, target);
        const first = await run(Float32Array.from(x0), 1, target, true);
        try {
          const products = new Float64Array(count * d);
          for (let r0 = 0; r0 < count; r0 += directionBatch) {
            const m = Math.min(directionBatch, count - r0);
            const chunk = new Float32Array(m * d);
            for (let i = 0; i < m * d; i++) chunk[i] = directions[r0 * d + i];
            products.set(await hessianTimes(compiled, activation, resolved, first, 0, chunk, m), r0 * d);
          }
          return { value: first.values[0], gradient: Float64Array.from(first.gradients), products };
        } finally {
          disposeFirstOrder(first);
        }
      },
      async logitJacobian(x0): Promise<LogitJacobian> {
        checkFiniteArray("x0", x0, d);
        alive();
        const { logits, jacobian } = await logitJacobianAt(compiled, shape, activation, Float32Array.from(x0));
        return { logits: Float64Array.from(logits), jacobian: Float64Array.from(jacobian) };
      },
    };
  };

  const original = model(Object.freeze({ name: "relu" }));
  return {
    dim: d,
    outputDim: shape.outputDim,
    hiddenSizes,
    original,
    program,
    surrogate(activation: SurrogateActivationInput): TfjsModel {
      alive();
      return model(checkSurrogateActivation("activation", activation));
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      compiled.dispose();
      owned?.dispose();
    },
  };
}

/** (H + Hᵀ)/2 in place: float32 round-off makes the assembled rows slightly asymmetric. */
function symmetrize(h: Float64Array, d: number): void {
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) {
      const v = 0.5 * (h[i * d + j] + h[j * d + i]);
      h[i * d + j] = v;
      h[j * d + i] = v;
    }
  }
}

/**
 * The program built for a network must reproduce `network.forward` (with SoftPlus_1, so every site matters) at a
 * seeded probe point; a mismatch means the network computes something its architecture name does not describe.
 */
function checkAgainstForward(network: Network, program: CompiledProgram, shape: ProgramShape): void {
  const d = program.inputSize;
  const [ours, theirs] = tf.tidy(() => {
    const x = tf.tensor2d(Float32Array.from({ length: d }, (_, i) => Math.sin(1.7 * i + 0.3)), [1, d]);
    const beta = tf.scalar(1);
    const spec = { name: "softplus", beta: 1 } as const;
    const value = (z: tf.Tensor) => tf.div(tf.softplus(tf.mul(z, beta)), beta);
    const a = program.run(x, { linear: false, site: (z) => value(z) });
    const b = network.forward(x, { activation: spec }).output;
    return [a, b];
  });
  const a = ours.dataSync();
  const b = theirs.dataSync();
  ours.dispose();
  theirs.dispose();
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < b.length; i++) {
    scale = Math.max(scale, Math.abs(b[i]));
    worst = Math.max(worst, Math.abs(a[i] - b[i]));
  }
  if (a.length !== b.length || a.length !== shape.outputDim || worst > 1e-4 * Math.max(scale, 1e-3)) {
    throw new UnsupportedLayerError(
      "network.forward",
      `a forward pass that differs from the ${network.architecture} program (largest difference ${worst.toExponential(2)})`,
      "networks built by mlp(), cnn1d() or resnet18() of @smoothhess/tfjs",
    );
  }
  if (shape.siteSizes.length !== network.layerSizes.length || shape.siteSizes.some((s, i) => s !== network.layerSizes[i])) {
    throw new InvalidArgumentError("network.layerSizes", `[${shape.siteSizes}] (the program's sites)`, described(`[${network.layerSizes}]`));
  }
}

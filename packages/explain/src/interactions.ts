import { InvalidArgumentError, checkFiniteArray, isNumericArray } from "@smoothhess/errors";
import { smoothHess, type NormalDraws, type SteinProgress } from "@smoothhess/stein";
import { chooseSigma } from "./default-sigma.js";
import { DEFAULT_TARGET, type ExplainTarget } from "./explain-target.js";
import { type ExplainableModel, loadModel, prepareOracle } from "./explainable-model.js";
import { Interactions } from "./interaction-result.js";

/** Default gradient samples per explained input. */
export const DEFAULT_EXPLAIN_SAMPLES = 10_000;

/** Options of {@link interactions}. */
export interface InteractionsOptions {
  /** What to explain; default `{ output: "predicted" }` (the logit of the class predicted at each input). */
  readonly target?: ExplainTarget;
  /**
   * Standard deviation σ of the smoothing Gaussian N(0, σ²I). Default: the three-σ rule's `ε/√d` at
   * ε = 0.25 × the input's range (see `chooseSigma`); the result's `sigmaRule` says which.
   */
  readonly sigma?: number;
  /** Radius ε for the default σ (ignored when `sigma` is given). */
  readonly epsilon?: number;
  /** Gradient calls per input (even; antithetic pairs). Default 10,000 (the paper used 100,000 on MNIST). */
  readonly samples?: number;
  /** Seed of the perturbations: same seed, same result. Default 0. */
  readonly seed?: number;
  /**
   * How the perturbations are drawn: `"box-muller"` (default; the numbers of earlier versions) or `"ziggurat"`
   * (equally Gaussian, other numbers for the seed, cheaper draws: worth it with a fast engine at large d).
   */
  readonly normals?: NormalDraws;
  /**
   * Gradient engine: for tfjs models `"auto"` (default; fast for Dense/ReLU stacks), `"fast"` or `"autograd"`; for
   * ONNX models `"onnx"` (the only one; `"auto"` picks it).
   */
  readonly engine?: "auto" | "fast" | "autograd" | "onnx";
  /** ONNX models: the ONNX Runtime binding (default `onnxruntime-node`; pass `onnxruntime-web` in a browser). */
  readonly onnxRuntime?: unknown;
  /** ONNX models: ONNX Runtime intra-op threads (default: the machine's cores). */
  readonly threads?: number;
  /**
   * ONNX models: the `@smoothhess/onnx` module (`import * as onnx from "@smoothhess/onnx"`). Node loads it by itself;
   * a bundled (browser) app passes it, together with `onnxRuntime` (onnxruntime-web), because this package does not
   * let bundlers follow its import (an optional peer that apps without ONNX models do not install).
   */
  readonly onnx?: unknown;
  /** Shape of one input (functions, graphs without static shapes, or to reshape an oracle's flat input). */
  readonly inputShape?: readonly number[];
  /** Image layout for the pixel heatmaps (`[H, W]` or `[H, W, C]`) when the input shape is flat and not square. */
  readonly imageShape?: readonly number[];
  /** Also compute the standard error of every Hessian entry (about 3× the accumulation cost). Default `false`. */
  readonly entrywiseError?: boolean;
  /** Called after every gradient batch; `input` is the index of the input in a batch. */
  readonly onProgress?: (progress: SteinProgress & { readonly input: number; readonly inputs: number }) => void;
  /** Abort between gradient batches (throws `AbortedError`). */
  readonly signal?: AbortSignal;
}

/**
 * Explain a model's second-order behaviour at one input, or at each input of a batch: SmoothHess and SmoothGrad
 * (paper Eq. 8) from one pass of gradient calls, with standard errors, `.at(i, j)`, `.topPairs(k)`, `.reshape()` and
 * SVG heatmaps.
 *
 * `model` is a `tf.LayersModel`, `tf.GraphModel`, `@smoothhess/tfjs` `Network`, a tensor function (these need the
 * optional peer `@smoothhess/tfjs`, loaded on first use), an ONNX model (a `.onnx` path or bytes, or a
 * `loadOnnxModel` result; needs the optional peer `@smoothhess/onnx`), a float64 `DenseNetwork`, or any
 * `GradientOracle`. The
 * target is chosen per call (default: the predicted class's logit, resolved per input).
 *
 * @throws `InvalidArgumentError` / `DimensionMismatchError` naming the argument at fault (`x`, `options.sigma`,
 *   `options.target`, …); `BackendMissingError` when the model's backend is not installed; `AbortedError`.
 *
 * @example
 * ```ts
 * const result = await interactions(model, x);         // x: 784 pixels in [0, 1]
 * console.log(String(result));                           // σ rule, top pairs
 * const svg = await result.pixelSvg([14, 14]);           // interactions with the centre pixel
 * ```
 */
export async function interactions(model: ExplainableModel, x: ArrayLike<number>, options?: InteractionsOptions): Promise<Interactions>;
export async function interactions(model: ExplainableModel, x: readonly ArrayLike<number>[], options?: InteractionsOptions): Promise<Interactions[]>;
export async function interactions(
  model: ExplainableModel,
  x: ArrayLike<number> | readonly ArrayLike<number>[],
  options: InteractionsOptions = {},
): Promise<Interactions | Interactions[]> {
  if (typeof options !== "object" || options === null) throw new InvalidArgumentError("options", "an options object", options);
  const batch = Array.isArray(x) && x.length > 0 && typeof x[0] !== "number";
  const inputs = (batch ? (x as readonly ArrayLike<number>[]) : [x as ArrayLike<number>]).map((xi, k) => {
    if (!isNumericArray(xi)) {
      throw new InvalidArgumentError(batch ? `x[${k}]` : "x", "an array of numbers (one input, flattened)", xi);
    }
    return Float64Array.from(checkFiniteArray(batch ? `x[${k}]` : "x", xi));
  });
  if (inputs.length === 0 || inputs[0].length === 0) throw new InvalidArgumentError("x", "an input (or a non-empty batch of inputs)", x);
  const loaded = await loadModel(model, options);
  const results: Interactions[] = [];
  for (let k = 0; k < inputs.length; k++) {
    results.push(await explainOne(loaded, inputs[k], options, k, inputs.length));
  }
  return batch ? results : results[0];
}

async function explainOne(model: ExplainableModel, x: Float64Array, options: InteractionsOptions, index: number, count: number): Promise<Interactions> {
  const sigma = chooseSigma(x, { sigma: options.sigma, epsilon: options.epsilon });
  const prepared = await prepareOracle(model, x, options.target, options.target ?? DEFAULT_TARGET, options);
  try {
    const samples = options.samples ?? DEFAULT_EXPLAIN_SAMPLES;
    const seed = options.seed ?? 0;
    const onProgress = options.onProgress;
    const result = await smoothHess(prepared.oracle, x, {
      covariance: { sigma: sigma.sigma },
      samples,
      seed,
      normals: options.normals,
      entrywiseError: options.entrywiseError,
      signal: options.signal,
      onProgress: onProgress ? (p) => onProgress({ ...p, input: index, inputs: count }) : undefined,
    });
    const inputShape = options.inputShape ?? prepared.inputShape ?? [x.length];
    return new Interactions({
      input: x,
      inputShape,
      hessian: result.hessian,
      smoothGrad: result.gradient,
      smoothedValue: result.smoothedValue,
      standardError: result.standardError,
      sigma: sigma.sigma,
      sigmaRule: sigma.rule,
      epsilon: sigma.epsilon,
      samples: result.samples,
      seed,
      normals: options.normals ?? "box-muller",
      target: prepared.target,
      engine: prepared.engine,
      imageShape: options.imageShape,
    });
  } finally {
    await prepared.dispose();
  }
}

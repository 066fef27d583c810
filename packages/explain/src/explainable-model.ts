import { InvalidArgumentError, checkInteger } from "@smoothhess/errors";
import { isOracle, networkOracle, type DenseNetwork, type GradientOracle, type NetworkTarget } from "@smoothhess/oracle";
import { describeTarget, type ExplainTarget } from "./explain-target.js";
import { BackendMissingError } from "./backend-missing-error.js";

/** A tfjs `LayersModel` (tfjs-layers), as far as this package looks at it. */
export interface LayersModelShape {
  readonly layers: readonly unknown[];
  readonly inputs: readonly unknown[];
  apply(...args: never[]): unknown;
}

/** A tfjs `GraphModel` (tfjs-converter), as far as this package looks at it. */
export interface GraphModelShape {
  readonly inputs: readonly unknown[];
  readonly outputs: readonly unknown[];
  execute(...args: never[]): unknown;
}

/** A `Network` of `@smoothhess/tfjs` (`mlp`, `paperMnistMlp`, `loadNetwork`, …), as far as this package looks at it. */
export interface TfjsNetworkShape {
  readonly inputShape: readonly number[];
  readonly inputSize: number;
  readonly weights: ReadonlyMap<string, unknown>;
  forward(...args: never[]): unknown;
}

/** An ONNX model loaded by `loadOnnxModel` of `@smoothhess/onnx`, as far as this package looks at it. */
export interface OnnxModelShape {
  readonly graph: unknown;
  readonly inputName: string;
  readonly outputName: string;
  readonly inputShape: readonly number[];
  readonly dim: number;
  readonly runtime: unknown;
}

/**
 * An ONNX model to load with `@smoothhess/onnx`: a file path (Node) or the model's bytes (e.g. a `fetch` result in a
 * browser).
 */
export type OnnxSource = string | Uint8Array | ArrayBuffer;

/**
 * Anything {@link interactions} explains:
 *
 * - a `tf.LayersModel` or `tf.GraphModel` (needs `@smoothhess/tfjs`; a Dense/ReLU stack runs its fast engine);
 * - a `Network` of `@smoothhess/tfjs`;
 * - a function `(x: tf.Tensor) => tf.Tensor` of tfjs ops (give `inputShape`);
 * - a float64 `DenseNetwork` of `@smoothhess/oracle` (no backend needed);
 * - an ONNX model: a path or bytes of a `.onnx` file, or a model from `loadOnnxModel` (needs `@smoothhess/onnx` and
 *   an ONNX Runtime: `onnxruntime-node`, or `onnxruntime-web` passed as `options.onnxRuntime`);
 * - any `GradientOracle` (its function is fixed, so no `target`).
 */
export type ExplainableModel =
  | GradientOracle
  | DenseNetwork
  | TfjsNetworkShape
  | LayersModelShape
  | GraphModelShape
  | OnnxModelShape
  | OnnxSource
  | ((x: never) => unknown);

/** @internal How a model was turned into an oracle for one input. */
export interface PreparedOracle {
  readonly oracle: GradientOracle;
  readonly inputShape?: readonly number[];
  /** Which engine computes the gradients, e.g. `tfjs fast`, `float64`. */
  readonly engine: string;
  /** The target in words, with a predicted class resolved. */
  readonly target: string;
  /** Frees what was made for this input (never the user's model). */
  dispose(): Promise<void>;
}

/** Options that reach the backend. */
export interface BackendOptions {
  readonly engine?: "auto" | "fast" | "autograd" | "onnx";
  readonly inputShape?: readonly number[];
  /** ONNX Runtime binding for ONNX models (default `onnxruntime-node`). */
  readonly onnxRuntime?: unknown;
  /** ONNX Runtime intra-op threads (default: the machine's cores). */
  readonly threads?: number;
  /** The `@smoothhess/onnx` module (`import * as onnx from "@smoothhess/onnx"`); needed in bundled apps. */
  readonly onnx?: unknown;
}

/** The part of `@smoothhess/onnx` this package calls. */
interface OnnxModule {
  loadOnnxModel(source: OnnxSource, options?: { runtime?: unknown }): Promise<OnnxModelShape>;
  onnxOracle(
    model: OnnxModelShape,
    options: { target?: unknown; threads?: number },
  ): Promise<GradientOracle & { readonly target: { readonly unit?: number }; dispose(): Promise<void> }>;
}

// By a variable specifier: @smoothhess/onnx and its ONNX Runtime are optional peers, and a bundler that followed a
// literal import would fail (or pull in ONNX Runtime's WebAssembly) in every app that explains no ONNX model.
// Browser apps that do pass the module (`options.onnx`, with onnxruntime-web); Node loads it here.
const ONNX_PACKAGE = "@smoothhess/onnx";

async function loadOnnx(given?: unknown): Promise<OnnxModule> {
  let module: Partial<OnnxModule>;
  if (given !== undefined) {
    module = given as Partial<OnnxModule>;
  } else {
    try {
      module = (await import(/* @vite-ignore */ ONNX_PACKAGE)) as Partial<OnnxModule>;
    } catch (error) {
      throw new BackendMissingError(ONNX_PACKAGE, "an ONNX model", error);
    }
  }
  if (typeof module.loadOnnxModel !== "function" || typeof module.onnxOracle !== "function") {
    throw new BackendMissingError(ONNX_PACKAGE, "an ONNX model (the module given has no loadOnnxModel/onnxOracle)");
  }
  return module as OnnxModule;
}

/**
 * @internal Load an ONNX source (path or bytes) once, so a batch of inputs shares it; other models pass through.
 */
export async function loadModel(model: ExplainableModel, options: BackendOptions): Promise<ExplainableModel> {
  if (typeof model === "string" || model instanceof Uint8Array || model instanceof ArrayBuffer) {
    const onnx = await loadOnnx(options.onnx);
    return onnx.loadOnnxModel(model, options.onnxRuntime !== undefined ? { runtime: options.onnxRuntime } : {});
  }
  if (options.engine === "onnx" && modelKind(model) !== "onnx") {
    throw new InvalidArgumentError("options.engine", '"onnx" only for an ONNX model (a .onnx path, its bytes or a loadOnnxModel result)', options.engine);
  }
  return model;
}

type TfjsModule = typeof import("@smoothhess/tfjs");

async function loadTfjs(): Promise<TfjsModule> {
  try {
    return await import("@smoothhess/tfjs");
  } catch (error) {
    throw new BackendMissingError("@smoothhess/tfjs", "a tfjs model, Network or tensor function", error);
  }
}

/** @internal Which kind of model this is (duck-typed: no backend is imported to tell). */
export function modelKind(model: unknown): "oracle" | "dense" | "network" | "layers" | "graph" | "function" | "onnx" | undefined {
  if (typeof model === "function") return "function";
  if (typeof model !== "object" || model === null) return undefined;
  const m = model as Record<string, unknown>;
  if (typeof m.inputName === "string" && typeof m.outputName === "string" && m.graph !== undefined && m.runtime !== undefined) return "onnx";
  if (typeof m.withActivation === "function" && Array.isArray(m.layers) && typeof m.inputDim === "number") return "dense";
  if (typeof m.forward === "function" && typeof m.inputSize === "number" && m.weights instanceof Map) return "network";
  if (Array.isArray(m.layers) && typeof m.apply === "function") return "layers";
  if (typeof m.execute === "function" && Array.isArray(m.inputs) && Array.isArray(m.outputs)) return "graph";
  if (isOracle(model)) return "oracle";
  return undefined;
}

/** @internal A gradient oracle for `target` of `model` at the input `x`. */
export async function prepareOracle(
  model: ExplainableModel,
  x: Float64Array,
  target: ExplainTarget | undefined,
  effectiveTarget: ExplainTarget,
  options: BackendOptions,
): Promise<PreparedOracle> {
  const kind = modelKind(model);
  switch (kind) {
    case "oracle": {
      if (target !== undefined) {
        throw new InvalidArgumentError(
          "options.target",
          "no target for a GradientOracle (it explains one fixed function; pass a model to choose the target per call)",
          target,
        );
      }
      return { oracle: model as GradientOracle, inputShape: options.inputShape, engine: "your oracle", target: "the oracle's function", dispose: async () => {} };
    }
    case "dense":
      return denseOracle(model as DenseNetwork, x, effectiveTarget, options);
    case "onnx": {
      if (options.engine !== undefined && options.engine !== "auto" && options.engine !== "onnx") {
        throw new InvalidArgumentError("options.engine", '"auto" or "onnx" for an ONNX model', options.engine);
      }
      const onnx = await loadOnnx(options.onnx);
      const onnxModel = model as OnnxModelShape;
      const oracle = await onnx.onnxOracle(onnxModel, { target: withAnchor(effectiveTarget, x), threads: options.threads });
      const t = effectiveTarget as Record<string, unknown>;
      const predicted = ["output", "softmax", "crossEntropy"].some((key) => t[key] === "predicted");
      return {
        oracle,
        inputShape: onnxModel.inputShape.slice(1),
        engine: "onnx",
        target: describeTarget(effectiveTarget, predicted ? oracle.target.unit : undefined),
        dispose: async () => {
          await oracle.dispose();
        },
      };
    }
    case "network":
    case "layers":
    case "graph":
    case "function": {
      const tfjs = await loadTfjs();
      const t = withAnchor(effectiveTarget, x);
      const engine = options.engine ?? "auto";
      if (engine !== "auto" && engine !== "fast" && engine !== "autograd") {
        throw new InvalidArgumentError("options.engine", '"auto", "fast" or "autograd" for a tfjs model', engine);
      }
      let oracle: import("@smoothhess/tfjs").TfjsOracle | import("@smoothhess/tfjs").ModelOracle;
      let inputShape: readonly number[];
      if (kind === "network") {
        const net = model as unknown as import("@smoothhess/tfjs").Network;
        oracle = tfjs.tfjsOracle(net, t, { engine: engine === "autograd" ? "autograd" : "fast" });
        inputShape = net.inputShape;
      } else {
        if (kind === "layers") {
          oracle = tfjs.fromLayersModel(model as unknown as import("@smoothhess/tfjs").LayersModelLike, t, { engine });
        } else if (kind === "graph") {
          oracle = tfjs.fromGraphModel(model as unknown as import("@smoothhess/tfjs").GraphModelLike, t, { engine, inputShape: options.inputShape });
        } else {
          if (engine === "fast") throw new InvalidArgumentError("options.engine", '"auto" or "autograd" for a function (it runs by autograd)', engine);
          oracle = tfjs.fromFunction(model as never, t, { inputShape: options.inputShape ?? [x.length] });
        }
        inputShape = oracle.inputShape;
      }
      const resolved = oracle.target as { classIndex?: number };
      const made = oracle;
      return {
        oracle: made,
        inputShape,
        engine: `tfjs ${made.engine}`,
        target: describeTarget(effectiveTarget, resolved.classIndex),
        dispose: () => made.dispose(),
      };
    }
    default:
      throw new InvalidArgumentError(
        "model",
        "a tf.LayersModel, tf.GraphModel, @smoothhess/tfjs Network, tensor function, ONNX model, DenseNetwork or GradientOracle",
        model,
      );
  }
}

function withAnchor(target: ExplainTarget, x: Float64Array): import("@smoothhess/tfjs").TfjsTarget {
  // the backends' targets take the point whose predicted class is explained as `at`
  const t = target as Record<string, unknown>;
  for (const key of ["output", "softmax", "crossEntropy"]) {
    if (t[key] === "predicted") return { ...t, at: x } as never;
  }
  return target as never;
}

function denseOracle(network: DenseNetwork, x: Float64Array, target: ExplainTarget, options: BackendOptions): PreparedOracle {
  if (options.engine !== undefined && options.engine !== "auto") {
    throw new InvalidArgumentError("options.engine", '"auto" for a float64 DenseNetwork (it has one engine)', options.engine);
  }
  const t = target as Record<string, unknown>;
  let resolvedClass: number | undefined;
  let networkTarget: NetworkTarget;
  const predicted = () => {
    const logits = network.forward(x)[network.layers.length - 1];
    let k = 0;
    for (let i = 1; i < logits.length; i++) if (logits[i] > logits[k]) k = i;
    return k;
  };
  if ("output" in t || "softmax" in t || "crossEntropy" in t) {
    const key = "output" in t ? "output" : "softmax" in t ? "softmax" : "crossEntropy";
    resolvedClass = t[key] === "predicted" ? predicted() : checkInteger(`options.target.${key}`, t[key], 0, network.outputDim - 1);
    networkTarget = { [key]: resolvedClass } as NetworkTarget;
  } else if ("layer" in t) {
    networkTarget = { layer: t.layer as number, unit: t.unit as number };
  } else {
    throw new InvalidArgumentError("options.target", "{ output }, { softmax }, { crossEntropy } or { layer, unit } for a DenseNetwork (a { fn } target needs a tfjs model)", target);
  }
  return {
    oracle: networkOracle(network, networkTarget),
    engine: "float64",
    target: describeTarget(target, resolvedClass),
    dispose: async () => {},
  };
}

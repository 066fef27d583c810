import { DimensionMismatchError, InvalidArgumentError, checkFiniteArray, described } from "@smoothhess/errors";
import { relu, type Activation } from "./activation.js";
import { WeightOrientationError } from "./weight-orientation-error.js";

/** One affine layer `z = W a + b`, with `W` row-major `outputs×inputs`. */
export interface DenseLayer {
  readonly weights: ArrayLike<number>;
  readonly bias: ArrayLike<number>;
  readonly inputs: number;
  readonly outputs: number;
}

/**
 * A fully connected network `f⁽ˡ⁾ = W⁽ˡ⁾ g⁽ˡ⁻¹⁾ + b⁽ˡ⁾`, `g⁽ˡ⁾ = φ(f⁽ˡ⁾)` (paper Eq. 1) in plain float64 JavaScript:
 * the activation φ follows every layer but the last, and the last layer's outputs are the logits.
 *
 * It is the reference the other backends are tested against, and small enough for ground-truth tests.
 * Create one with {@link denseNetwork}.
 */
export interface DenseNetwork {
  /** The affine layers, input first. */
  readonly layers: readonly DenseLayer[];
  /** The hidden activation. */
  readonly activation: Activation;
  /** Input dimension d. */
  readonly inputDim: number;
  /** Number of outputs (logits). */
  readonly outputDim: number;
  /**
   * Forward pass for one input: the pre-activations `f⁽ˡ⁾` of every layer (the last entry is the logits).
   */
  forward(x: ArrayLike<number>): Float64Array[];
  /** The same weights with another hidden activation (e.g. SoftPlus_β for the surrogate of a ReLU net). */
  withActivation(activation: Activation): DenseNetwork;
}

/**
 * Weights of one layer as given to {@link denseNetwork}: `weights` is the `outputs × inputs` matrix (`outputs =
 * bias.length`), flat row-major or as rows (`number[][]`, one row per output, as `tensor.arraySync()` gives).
 *
 * Give the matrix's `shape` (or pass rows) so that its orientation is checked: a flat copy of a tfjs Dense kernel
 * (`[inputs, outputs]`) has as many entries as the right matrix and, unchecked, gives wrong values silently.
 */
export interface DenseLayerSpec {
  readonly weights: ArrayLike<number> | readonly ArrayLike<number>[];
  readonly bias: ArrayLike<number>;
  /** The declared `[outputs, inputs]` shape of `weights` (e.g. `tensor.shape`); checked when given. */
  readonly shape?: readonly number[];
}

/**
 * Build a {@link DenseNetwork} from its weights.
 *
 * @param layers - at least one layer; layer l's `weights` is row-major `outputs×inputs` where `outputs =
 *   bias.length` and `inputs` is the previous layer's `outputs` (the first layer's `inputs` is
 *   `weights.length / bias.length`).
 * @param activation - hidden activation (default ReLU).
 * @throws {@link InvalidArgumentError} / {@link DimensionMismatchError} naming the layer whose shapes do not fit
 *   or whose entries are not finite.
 */
export function denseNetwork(layers: readonly DenseLayerSpec[], activation: Activation = relu): DenseNetwork {
  if (!Array.isArray(layers) || layers.length === 0) {
    throw new InvalidArgumentError("layers", "a non-empty array of { weights, bias }", layers);
  }
  const built: DenseLayer[] = [];
  let inputs = -1;
  layers.forEach((layer, l) => {
    const bias = checkFiniteArray(`layers[${l}].bias`, layer?.bias);
    const outputs = bias.length;
    if (outputs < 1) throw new InvalidArgumentError(`layers[${l}].bias`, "at least one entry", bias);
    const { flat, shape } = weightMatrix(`layers[${l}]`, layer.weights, layer.shape);
    const weights = checkFiniteArray(`layers[${l}].weights`, flat);
    if (shape) {
      const [rows, columns] = shape;
      const fits = rows === outputs && (inputs < 0 || columns === inputs);
      if (!fits && columns === outputs && (inputs < 0 || rows === inputs) && rows * columns === weights.length) {
        throw new WeightOrientationError(l, shape, outputs, rows);
      }
      if (!fits || rows * columns !== weights.length) {
        throw new DimensionMismatchError(
          `layers[${l}].weights`,
          `shape [outputs, inputs] = [${outputs}, ${inputs < 0 ? "inputs" : inputs}] with as many entries`,
          described(`shape [${shape.join(", ")}] with ${weights.length} entries`),
        );
      }
    }
    if (inputs < 0) {
      if (weights.length % outputs !== 0 || weights.length === 0) {
        throw new DimensionMismatchError(`layers[${l}].weights`, `a multiple of bias.length = ${outputs} entries`, described(`${weights.length} entries`));
      }
      inputs = weights.length / outputs;
    } else if (weights.length !== inputs * outputs) {
      throw new DimensionMismatchError(
        `layers[${l}].weights`,
        `${outputs}×${inputs} = ${outputs * inputs} entries (previous layer has ${inputs} outputs)`,
        described(`${weights.length} entries`),
      );
    }
    built.push({ weights: Float64Array.from(weights), bias: Float64Array.from(bias), inputs, outputs });
    inputs = outputs;
  });
  return makeNetwork(built, activation);
}

/** Flatten rows (`number[][]`) and read the declared shape: `[rows, columns]` from rows or `shape`. */
function weightMatrix(
  argument: string,
  weights: unknown,
  declared: readonly number[] | undefined,
): { flat: unknown; shape?: readonly [number, number] } {
  let shape: readonly [number, number] | undefined;
  if (declared !== undefined) {
    if (!Array.isArray(declared) || declared.length !== 2 || !declared.every((s) => Number.isInteger(s) && s >= 1)) {
      throw new InvalidArgumentError(`${argument}.shape`, "[outputs, inputs], two integers ≥ 1", declared);
    }
    shape = [declared[0], declared[1]];
  }
  if (!Array.isArray(weights) || weights.length === 0 || typeof weights[0] === "number") return { flat: weights, shape };
  const rows = weights as unknown[];
  const columns = (rows[0] as ArrayLike<number>)?.length;
  const flat = new Float64Array(rows.length * (columns ?? 0));
  rows.forEach((row, r) => {
    const checked = checkFiniteArray(`${argument}.weights[${r}]`, row, columns);
    for (let c = 0; c < columns; c++) flat[r * columns + c] = checked[c];
  });
  const fromRows: readonly [number, number] = [rows.length, columns];
  if (shape && (shape[0] !== fromRows[0] || shape[1] !== fromRows[1])) {
    throw new DimensionMismatchError(`${argument}.shape`, `[${fromRows.join(", ")}] (the rows given)`, described(`[${shape.join(", ")}]`));
  }
  return { flat, shape: fromRows };
}

function makeNetwork(layers: DenseLayer[], activation: Activation): DenseNetwork {
  const inputDim = layers[0].inputs;
  return {
    layers,
    activation,
    inputDim,
    outputDim: layers[layers.length - 1].outputs,
    forward(x: ArrayLike<number>): Float64Array[] {
      if (x.length !== inputDim) throw new DimensionMismatchError("x", `length ${inputDim}`, described(`length ${x.length}`));
      const pre: Float64Array[] = [];
      let a: ArrayLike<number> = x;
      layers.forEach((layer, l) => {
        const z = affine(layer, a);
        pre.push(z);
        if (l < layers.length - 1) {
          const g = new Float64Array(z.length);
          for (let i = 0; i < z.length; i++) g[i] = activation.value(z[i]);
          a = g;
        }
      });
      return pre;
    },
    withActivation(next: Activation): DenseNetwork {
      return makeNetwork(layers, next);
    },
  };
}

/** `W a + b` for one layer. */
export function affine(layer: DenseLayer, a: ArrayLike<number>): Float64Array {
  const { weights, bias, inputs, outputs } = layer;
  const z = new Float64Array(outputs);
  for (let o = 0; o < outputs; o++) {
    let s = bias[o];
    const row = o * inputs;
    for (let i = 0; i < inputs; i++) s += weights[row + i] * a[i];
    z[o] = s;
  }
  return z;
}

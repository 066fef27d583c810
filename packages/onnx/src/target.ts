import { InvalidArgumentError, checkInteger } from "@smoothhess/errors";
import { reduce } from "./autodiff/rules/helpers.js";
import type { GraphBuilder } from "./ir/graph-builder.js";
import { attr } from "./ir/graph.js";
import { OnnxModelError } from "./onnx-model-error.js";
import { runForward, type OnnxModel } from "./onnx-model.js";

/**
 * Which scalar function of the model an oracle explains, in the shape of `tfjsOracle`'s targets
 * (`@smoothhess/tfjs`) and `NetworkTarget` (`@smoothhess/oracle`):
 *
 * - `{ output: k }`: output unit k (a logit); `{ output: "predicted", at: x0 }`: the logit of the class the model
 *   predicts at `x0` (fixed once, so every perturbed point reads the same logit).
 * - `{ softmax: k | "predicted", at? }`: the SoftMax probability of class k, computed from the class-shifted logits
 *   so that confident predictions (`p_k` = 1 in float32) keep their gradient `Σ_{j≠k} p_k p_j (∇z_k − ∇z_j)`.
 * - `{ crossEntropy: y | "predicted", at? }`: the loss `−log softmax(z)_y`, computed stably (small losses keep
 *   their relative precision).
 * - `{ layer: l, unit: i }`: the pre-activation of unit i (row-major over the tensor's non-batch axes) of hidden
 *   layer l (1-based: the input of the l-th activation node; `l` = last is the paper's "penultimate neuron").
 * - `{ tensor: name, unit: i }`: unit i of any float tensor of the graph, by name.
 * - `{ fn }`: a reduction you write over the output: `fn(builder, output)` appends ONNX nodes to `builder` (a
 *   {@link GraphBuilder}) that map the `n × …` output tensor to `n` values (shape `[n]` or `[n, 1]`) and returns
 *   that tensor's name; it is differentiated like the rest of the graph, so use supported operators.
 */
export type OnnxTarget =
  | { readonly output: number | "predicted"; readonly at?: ArrayLike<number> }
  | { readonly softmax: number | "predicted"; readonly at?: ArrayLike<number> }
  | { readonly crossEntropy: number | "predicted"; readonly at?: ArrayLike<number> }
  | { readonly layer: number; readonly unit: number }
  | { readonly tensor: string; readonly unit: number }
  | { readonly fn: (builder: GraphBuilder, output: string) => string };

/** A target checked against a model: which tensor it reads and how. */
export type ResolvedOnnxTarget =
  | { readonly kind: "unit"; readonly tensor: string; readonly unit: number }
  | { readonly kind: "softmax" | "crossEntropy"; readonly tensor: string; readonly unit: number }
  | { readonly kind: "fn"; readonly tensor: string; readonly fn: (builder: GraphBuilder, output: string) => string };

/**
 * Check a target against `model` and resolve "predicted" classes (one forward run at `at`).
 * @throws {@link InvalidArgumentError} naming the field out of range (`target.output`, `target.layer`,
 *   `target.unit`, …) or `target` for an unknown shape; {@link OnnxModelError} for an unknown tensor name.
 */
export async function resolveOnnxTarget(model: OnnxModel, target: OnnxTarget, argument = "target"): Promise<ResolvedOnnxTarget> {
  const t = target as Record<string, unknown> | null | undefined;
  if (t && typeof t === "object") {
    for (const kind of ["output", "softmax", "crossEntropy"] as const) {
      if (!(kind in t)) continue;
      let unit: number;
      if (t[kind] === "predicted") {
        if (t.at === undefined) {
          throw new InvalidArgumentError(`${argument}.at`, 'the point x0 whose predicted class is explained (required with "predicted")', undefined);
        }
        const out = await runForward(model, t.at as ArrayLike<number>, 1);
        unit = 0;
        for (let j = 1; j < out.length; j++) if (out[j] > out[unit]) unit = j;
      } else {
        unit = checkInteger(`${argument}.${kind}`, t[kind], 0, model.outputSize - 1);
      }
      if (kind !== "output" && model.outputShape.length !== 2) {
        throw new InvalidArgumentError(argument, `a { ${kind} } target on a model whose output is n × classes`, model.outputShape);
      }
      return { kind: kind === "output" ? "unit" : kind, tensor: model.outputName, unit };
    }
    if ("tensor" in t) {
      const name = t.tensor as string;
      const type = typeof name === "string" ? model.shapes.dataType(name) : undefined;
      if (typeof name !== "string" || !model.shapes.has(name) || (type !== 1 && type !== 11)) {
        throw new OnnxModelError(`${argument}.tensor`, `no float tensor named ${JSON.stringify(name)} in the graph`);
      }
      const size = model.shapes.shape(name).slice(1).reduce((a, b) => a * b, 1);
      if (model.shapes.shape(name)[0] !== -1 && model.fixedBatch === undefined) {
        throw new InvalidArgumentError(`${argument}.tensor`, "a tensor whose first axis is the batch axis", name);
      }
      return { kind: "unit", tensor: name, unit: checkInteger(`${argument}.unit`, t.unit, 0, size - 1) };
    }
    if ("layer" in t) {
      if (model.hiddenTensors.length === 0) throw new InvalidArgumentError(`${argument}.layer`, "a hidden layer, but the model has no activation nodes", t.layer);
      const layer = checkInteger(`${argument}.layer`, t.layer, 1, model.hiddenTensors.length);
      const tensor = model.hiddenTensors[layer - 1];
      const size = model.shapes.shape(tensor).slice(1).reduce((a, b) => a * b, 1);
      return { kind: "unit", tensor, unit: checkInteger(`${argument}.unit`, t.unit, 0, size - 1) };
    }
    if (typeof t.fn === "function") return { kind: "fn", tensor: model.outputName, fn: t.fn as (b: GraphBuilder, o: string) => string };
  }
  throw new InvalidArgumentError(
    argument,
    '{ output: k | "predicted", at? } | { softmax: k | "predicted", at? } | { crossEntropy: y | "predicted", at? } | { layer, unit } | { tensor, unit } | { fn }',
    target,
  );
}

/** The nodes a target adds: its per-row value and the tensor (and seed) reverse mode starts from. */
export interface TargetHead {
  /** Per-row value, shape `[n]`. */
  readonly value: string;
  /** The tensor differentiated. */
  readonly target: string;
  /** `∂value/∂target`, of `target`'s runtime shape. */
  readonly seed: string;
}

/**
 * Append a resolved target's head to `b`: the per-row value and the seed of the reverse sweep. The SoftMax and
 * cross-entropy heads are written out from the class-shifted logits (the formulas of `networkOracle` and
 * `tfjsOracle`), seeded directly rather than differentiated through, so confident predictions keep their
 * gradients in float32.
 */
export function emitTargetHead(b: GraphBuilder, model: OnnxModel, target: ResolvedOnnxTarget): TargetHead {
  const z = target.tensor;
  const shape = model.shapes.shape(z);
  const rowShape = shape.slice(1);
  const size = rowShape.reduce((a, c) => a * c, 1);
  if (target.kind === "fn") {
    const out = target.fn(b, z);
    const value = b.op("Reshape", [out, b.int64s([-1])]);
    const seed = b.op("ConstantOfShape", [b.op("Shape", [value])], { value: attr.tensor(oneTensor(b)) });
    return { value, target: value, seed };
  }
  const oneHot = new Array<number>(size).fill(0);
  oneHot[target.unit] = 1;
  const unitRow = b.floats(oneHot, [1, ...rowShape]);
  if (target.kind === "unit") {
    const flat = b.op("Reshape", [z, b.int64s([shape[0] === -1 ? -1 : shape[0], size])]);
    const value = b.op("Reshape", [b.op("Slice", [flat, b.int64s([target.unit]), b.int64s([target.unit + 1]), b.int64s([1])]), b.int64s([-1])]);
    const seed = b.op("Expand", [unitRow, b.op("Shape", [z])]);
    return { value, target: z, seed };
  }
  const k = target.unit;
  const zk = b.op("Slice", [z, b.int64s([k]), b.int64s([k + 1]), b.int64s([1])]);
  const s = b.op("Sub", [z, zk]); // s_k = 0
  const m = reduce(b, "ReduceMax", s, [1], true); // M ≥ 0
  const others = b.floats(oneHot.map((v) => 1 - v), [1, size]);
  const e = b.op("Mul", [b.op("Exp", [b.op("Sub", [s, m])]), others]); // e^{s_j − M}, 0 at k
  const v = reduce(b, "ReduceSum", e, [1], true);
  const top = b.op("Exp", [b.op("Neg", [m])]);
  const denominator = b.op("Add", [top, v]);
  if (target.kind === "softmax") {
    const pk = b.op("Div", [top, denominator]);
    // p_k (V e_k − e) / D: p_k Σ_{j≠k} p_j at k, −p_k p_j elsewhere
    const seed = b.op("Mul", [b.op("Div", [pk, denominator]), b.op("Sub", [b.op("Mul", [unitRow, v]), e])]);
    return { value: b.op("Reshape", [pk, b.int64s([-1])]), target: z, seed };
  }
  // Cross-entropy: ℓ = M + log1p(u), u = e^{−M} − 1 + V (exactly V when M = 0, a confident prediction);
  // log1p(u) = u·log(w)/(w − 1) with w = 1 + u (Goldberg), and u where w rounds to 1 (ONNX has no Log1p).
  const u = b.op("Add", [b.op("Sub", [top, b.scalar(1)]), v]);
  const w = b.op("Add", [u, b.scalar(1)]);
  const exact = b.op("Equal", [w, b.scalar(1)]);
  const safe = b.op("Where", [exact, b.scalar(2), w]);
  const ratio = b.op("Div", [b.op("Mul", [u, b.op("Log", [safe])]), b.op("Sub", [safe, b.scalar(1)])]);
  const log1p = b.op("Where", [exact, u, ratio]);
  const loss = b.op("Add", [m, log1p]);
  // ∂ℓ/∂z_j = e_j/D (j ≠ y), −V/D at y
  const seed = b.op("Div", [b.op("Sub", [e, b.op("Mul", [unitRow, v])]), denominator]);
  return { value: b.op("Reshape", [loss, b.int64s([-1])]), target: z, seed };
}

function oneTensor(b: GraphBuilder) {
  return { dataType: b.floatType, dims: [1], data: b.floatType === 11 ? Float64Array.of(1) : Float32Array.of(1) };
}

import { add, div, mul, neg, sub, sum } from "./rules/arithmetic.js";
import { clip, elu, erf, exp, gelu, leakyRelu, log, pow, reciprocal, relu, sigmoid, softplus, sqrt, tanh } from "./rules/activations.js";
import { conv, convTranspose } from "./rules/convolution.js";
import { gemm, matMul } from "./rules/linear-algebra.js";
import { batchNormalization } from "./rules/normalization.js";
import { pad, slice } from "./rules/padding.js";
import { averagePool, globalAveragePool, maxPool } from "./rules/pooling.js";
import { reduceMean, reduceSum } from "./rules/reductions.js";
import { gatherElements, scatterElements, where } from "./rules/selection.js";
import { cast, concat, expand, identity, reshapeLikeInput, split, transpose } from "./rules/shape-ops.js";
import { logSoftmax, softmax } from "./rules/softmax.js";
import type { VjpRule } from "./vjp-rule.js";

/** The reverse-mode rule of every operator the package differentiates, by ONNX operator type. */
export const VJP_RULES: ReadonlyMap<string, VjpRule> = new Map<string, VjpRule>([
  ["Gemm", gemm],
  ["MatMul", matMul],
  ["Add", add],
  ["Sub", sub],
  ["Mul", mul],
  ["Div", div],
  ["Neg", neg],
  ["Sum", sum],
  ["Relu", relu],
  ["LeakyRelu", leakyRelu],
  ["Sigmoid", sigmoid],
  ["Tanh", tanh],
  ["Softplus", softplus],
  ["Elu", elu],
  ["Gelu", gelu],
  ["Erf", erf],
  ["Exp", exp],
  ["Log", log],
  ["Sqrt", sqrt],
  ["Pow", pow],
  ["Reciprocal", reciprocal],
  ["Clip", clip],
  ["Conv", conv],
  ["ConvTranspose", convTranspose],
  ["BatchNormalization", batchNormalization],
  ["MaxPool", maxPool],
  ["AveragePool", averagePool],
  ["GlobalAveragePool", globalAveragePool],
  ["ReduceMean", reduceMean],
  ["ReduceSum", reduceSum],
  ["Flatten", reshapeLikeInput],
  ["Reshape", reshapeLikeInput],
  ["Squeeze", reshapeLikeInput],
  ["Unsqueeze", reshapeLikeInput],
  ["Transpose", transpose],
  ["Concat", concat],
  ["Split", split],
  ["Expand", expand],
  ["Pad", pad],
  ["Slice", slice],
  ["Identity", identity],
  ["Dropout", identity],
  ["Cast", cast],
  ["Softmax", softmax],
  ["LogSoftmax", logSoftmax],
  ["Where", where],
  ["ScatterElements", scatterElements],
  ["GatherElements", gatherElements],
]);

/**
 * Operators whose outputs carry no gradient (shapes, comparisons, index computations, constants): they may sit
 * anywhere in a graph, e.g. PyTorch's `Shape → Gather → Unsqueeze → Concat → Reshape` flattening.
 */
export const NON_DIFFERENTIABLE: ReadonlySet<string> = new Set([
  "Shape", "Size", "Constant", "ConstantOfShape", "Greater", "Less", "Equal", "GreaterOrEqual", "LessOrEqual",
  "Not", "And", "Or", "ArgMax", "ArgMin", "Range", "NonZero",
]);

/** The operator types the package can differentiate, for error messages and documentation. */
export function supportedOperators(): string[] {
  return [...VJP_RULES.keys(), "Constant", "Shape", "Gather (of shapes)"].sort();
}

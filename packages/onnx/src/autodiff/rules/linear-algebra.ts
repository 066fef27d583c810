import { attr, floatAttribute, intAttribute, type IrAttribute } from "../../ir/graph.js";
import type { VjpRule } from "../vjp-rule.js";
import { outputGradient, outputShape, swapLastTwo, unbroadcast } from "./helpers.js";

/**
 * Gemm `Y = α·A'·B' + β·C` (`A' = Aᵀ` if transA, `B' = Bᵀ` if transB). The transposes fold into the backward
 * Gemms' own transA/transB, so a PyTorch `Linear` (weights `[out, in]`, transB = 1) backpropagates as
 * `dA = dY·W` with no transpose at all.
 */
export const gemm: VjpRule = (c) => {
  const b = c.builder;
  const [a, w, bias] = c.node.inputs;
  const dy = outputGradient(c);
  const alpha = floatAttribute(c.node, "alpha", 1);
  const beta = floatAttribute(c.node, "beta", 1);
  const transA = intAttribute(c.node, "transA", 0);
  const transB = intAttribute(c.node, "transB", 0);
  const scaled: Record<string, IrAttribute> = alpha === 1 ? {} : { alpha: attr.float(alpha) };
  let da: string | null = null;
  let dw: string | null = null;
  let dc: string | null = null;
  if (c.needsGradient[0]) {
    da = transA
      ? b.op("Gemm", [w, dy], { ...scaled, transA: attr.int(transB), transB: attr.int(1) })
      : b.op("Gemm", [dy, w], { ...scaled, transB: attr.int(transB ? 0 : 1) });
  }
  if (c.needsGradient[1]) {
    dw = transB
      ? b.op("Gemm", [dy, a], { ...scaled, transA: attr.int(1), transB: attr.int(transA) })
      : b.op("Gemm", [a, dy], { ...scaled, transA: attr.int(transA ? 0 : 1) });
  }
  if (bias && c.needsGradient[2]) {
    const g = beta === 1 ? dy : b.op("Mul", [dy, b.scalar(beta)]);
    dc = unbroadcast(c, g, outputShape(c), bias);
  }
  return [da, dw, dc];
};

/** MatMul `Y = A·B` (NumPy semantics: batched over leading axes, 1-D operands promoted). */
export const matMul: VjpRule = (c) => {
  const b = c.builder;
  let [a, w] = c.node.inputs;
  let dy = outputGradient(c);
  const aRank = c.shape(a).length;
  const wRank = c.shape(w).length;
  const yShape = [...outputShape(c)];
  // Promote 1-D operands as NumPy does, so the 2-D formulas apply; the gradients are reshaped back.
  if (aRank === 1) {
    a = b.op("Unsqueeze", [a, b.int64s([0])]);
    dy = b.op("Unsqueeze", [dy, b.int64s([yShape.length - (wRank === 1 ? 0 : 1)])]);
    yShape.splice(yShape.length - (wRank === 1 ? 0 : 1), 0, 1);
  }
  if (wRank === 1) {
    w = b.op("Unsqueeze", [w, b.int64s([1])]);
    dy = b.op("Unsqueeze", [dy, b.int64s([-1])]);
    yShape.push(1);
  }
  const rank = yShape.length;
  const result: (string | null)[] = [null, null];
  if (c.needsGradient[0]) {
    const wT = b.op("Transpose", [w], { perm: attr.ints(swapLastTwo(Math.max(2, wRank))) });
    let da = b.op("MatMul", [dy, wT]);
    if (aRank === 1) da = b.op("Reshape", [da, b.int64s(c.shape(c.node.inputs[0]))]);
    else if (rank > aRank || c.shape(a).slice(0, -2).some((d, i) => d === 1 && yShape[rank - aRank + i] !== 1)) {
      da = unbroadcast(c, da, [...yShape.slice(0, -2), ...c.shape(a).slice(-2)], c.node.inputs[0]);
    }
    result[0] = da;
  }
  if (c.needsGradient[1]) {
    const aT = b.op("Transpose", [a], { perm: attr.ints(swapLastTwo(Math.max(2, aRank))) });
    let dw = b.op("MatMul", [aT, dy]);
    if (wRank === 1) dw = b.op("Reshape", [dw, b.int64s(c.shape(c.node.inputs[1]))]);
    else if (rank > wRank || c.shape(w).slice(0, -2).some((d, i) => d === 1 && yShape[rank - wRank + i] !== 1)) {
      dw = unbroadcast(c, dw, [...yShape.slice(0, -2), ...c.shape(w).slice(-2)], c.node.inputs[1]);
    }
    result[1] = dw;
  }
  return result;
};

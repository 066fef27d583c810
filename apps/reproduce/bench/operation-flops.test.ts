import { describe, expect, it } from "vitest";
import {
  ballScoreFlops,
  ballValueFlops,
  exactAttackFlops,
  gradientFlops,
  layerMacs,
  mlpShape,
  outerProductFlops,
  reducedAttackFlops,
  smoothHessFlops,
  surrogateHessianFlops,
} from "./operation-flops.js";

// The counts the README's "Per-item costs by engine" table prints for the authors' MNIST MLP, recomputed here by
// hand from the shapes, so that a change to a formula shows up as a change to a documented number.
const mlp = mlpShape("784-500-300-250-250-250-10");
const d = 784;
const gflop = (flops: number) => Number((flops / 1e9).toFixed(2));

describe("operation FLOP counts of the per-item bench", () => {
  it("the network: 744,500 multiply-adds per point", () => {
    expect(layerMacs(mlp)).toBe(784 * 500 + 500 * 300 + 300 * 250 + 250 * 250 + 250 * 250 + 250 * 10);
    expect(layerMacs(mlp)).toBe(744_500);
    expect(() => mlpShape("784")).toThrow(/expected widths/);
    expect(() => mlpShape("784-x-10")).toThrow(/expected widths/);
  });

  it("100,000 gradients 297.8 GFLOP, the d×d accumulation of 50,000 units 61.5, one SmoothHess point 359.3", () => {
    expect(gflop(100_000 * gradientFlops(mlp).flops)).toBe(297.8);
    expect(outerProductFlops(d, 100_000).flops).toBe(d * d * 100_000);
    expect(gflop(outerProductFlops(d, 100_000).flops)).toBe(61.47);
    expect(gflop(smoothHessFlops(mlp, 100_000).flops)).toBe(359.27);
  });

  it("a surrogate Hessian: tfjs d HVPs, onnx structured blocks (2.36 and 2.37 GFLOP as documented)", () => {
    expect(surrogateHessianFlops(mlp, "tfjs", false).flops).toBe(4 * d * 744_500 + 4 * 744_500);
    // four parts of 196 rows: blocks on and above the diagonal hold (d² + 4·196²)/2 entries per term, 1,550 terms
    const upper = (d * d + 4 * 196 * 196) / 2;
    expect(surrogateHessianFlops(mlp, "onnx", false).flops).toBe(2 * d * 744_500 + 2 * upper * 1550 + 4 * 744_500);
    expect(gflop(surrogateHessianFlops(mlp, "onnx", false).flops)).toBe(2.36);
    expect(surrogateHessianFlops(mlp, "onnx", true).flops - surrogateHessianFlops(mlp, "onnx", false).flops).toBe(2 * upper * 10 + 2 * d * 100);
  });

  it("balls: 1,000 points of values (onnx runs the backward pass too) and one model's score 1.23 GFLOP", () => {
    expect(ballValueFlops(mlp, 1000, "onnx").flops).toBe(2 * ballValueFlops(mlp, 1000, "tfjs").flops);
    expect(gflop(ballValueFlops(mlp, 1000, "onnx").flops)).toBe(2.98);
    expect(gflop(ballScoreFlops(d, 1000).flops)).toBe(1.23);
  });

  it("attacks: the reduced one grows with the kept eigenpairs, the exact one is small for a small Krylov space", () => {
    expect(gflop(reducedAttackFlops(d, 288, 5).flops)).toBe(1.01);
    expect(reducedAttackFlops(d, 51, 5).flops).toBeLessThan(reducedAttackFlops(d, 288, 5).flops);
    expect(gflop(exactAttackFlops(d, 23, 5).flops)).toBe(0.04);
    expect(exactAttackFlops(d, 15, 5).flops).toBeLessThan(exactAttackFlops(d, 23, 5).flops);
  });
});

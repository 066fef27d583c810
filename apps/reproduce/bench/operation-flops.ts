/**
 * Floating-point operations of each operation `item-costs.ts` times, counted from the shapes and from what the code
 * runs (one multiply-add = 2 FLOP; elementwise terms of order `width` per point, the ReLU masks and bias additions,
 * are left out: below 0.2 % of every count here). Each count carries its formula and the code it is read from, so
 * the bench prints them side by side.
 */

/** A count of floating-point operations with the formula it came from and where the code does it. */
export interface FlopCount {
  readonly flops: number;
  readonly formula: string;
  readonly source: string;
}

/** The dense ReLU network: its layer widths, input first (e.g. 784-500-300-250-250-250-10). */
export interface MlpShape {
  readonly widths: readonly number[];
}

/** Parse an architecture string such as `784-500-300-250-250-250-10`. */
export function mlpShape(architecture: string): MlpShape {
  const widths = architecture.split("-").map(Number);
  if (widths.length < 2 || widths.some((w) => !Number.isInteger(w) || w < 1)) throw new Error(`architecture ${JSON.stringify(architecture)}: expected widths like 784-500-10`);
  return { widths };
}

/** Σ wₗ·wₗ₊₁ over the dense layers: the multiply-adds of one forward pass of one point. */
export function layerMacs(shape: MlpShape): number {
  let s = 0;
  for (let l = 0; l + 1 < shape.widths.length; l++) s += shape.widths[l] * shape.widths[l + 1];
  return s;
}

/** Σ of the hidden widths: the activations whose curvature enters a surrogate Hessian. */
function hiddenUnits(shape: MlpShape): number {
  return shape.widths.slice(1, -1).reduce((a, w) => a + w, 0);
}

const input = (shape: MlpShape) => shape.widths[0];
const classes = (shape: MlpShape) => shape.widths[shape.widths.length - 1];

/** Which engine runs the operation (`src/engine.ts`): the counts differ where the engines compute differently. */
export type EngineKind = "onnx" | "tfjs";

/** One input gradient at one point: forward and backward GEMMs of every layer (no weight gradients). */
export function gradientFlops(shape: MlpShape): FlopCount {
  return {
    flops: 4 * layerMacs(shape),
    formula: "4·Σwₗwₗ₊₁ per point",
    source: "forward + reverse-mode backward, one GEMM per layer each way (@smoothhess/onnx gradient-graph.ts; the tfjs fast oracle likewise)",
  };
}

/**
 * Values of the explained function at `points` points (a P_MSE ball). The onnx engine answers values with its
 * gradient oracle (`src/engine.ts`: `valueOracle` is `oracles.get`), so it also runs the backward pass.
 */
export function ballValueFlops(shape: MlpShape, points: number, engine: EngineKind): FlopCount {
  const perPoint = engine === "onnx" ? 4 : 2;
  return {
    flops: points * perPoint * layerMacs(shape),
    formula: `N·${perPoint}·Σwₗwₗ₊₁, N = ${points}`,
    source: engine === "onnx" ? "engine.ts: the onnx value oracle is the gradient oracle (forward + backward)" : "tfjsValueOracle: forward only",
  };
}

/** The d×d accumulation Σ Σ⁻¹δ (∇f(x₀+δ) − ∇f(x₀−δ))ᵀ/2 over n/2 antithetic units. */
export function outerProductFlops(d: number, samples: number): FlopCount {
  return {
    flops: 2 * d * d * (samples / 2),
    formula: "2·d²·n/2 (n/2 antithetic units)",
    source: "@smoothhess/stein smooth-hess.ts: kernel.addTransposedProduct(sum, white, diff, m, d, d) per block of m units",
  };
}

/** One SmoothHess point: n gradients and the d×d accumulation (stein's own draws and folds not counted). */
export function smoothHessFlops(shape: MlpShape, samples: number): FlopCount {
  const g = gradientFlops(shape).flops;
  const p = outerProductFlops(input(shape), samples).flops;
  return { flops: samples * g + p, formula: "n·4·Σwₗwₗ₊₁ + d²·n", source: "the two counts above (stein's Gaussian draws and folds are O(n·d), not counted)" };
}

/**
 * One surrogate Hessian d×d at one point. `curvature`: the head has curvature (the SoftMax probability of the
 * attacks), which adds the c output tangents as one more term.
 */
export function surrogateHessianFlops(shape: MlpShape, engine: EngineKind, curvature: boolean): FlopCount {
  const d = input(shape);
  const c = classes(shape);
  const macs = layerMacs(shape);
  if (engine === "tfjs") {
    // d Hessian-vector products with the unit vectors: linearised forward + tf.grad backward per direction
    const head = curvature ? 2 * d * c * c : 0;
    return {
      flops: 4 * d * macs + 4 * macs + head,
      formula: `4·d·Σwₗwₗ₊₁ + 4·Σwₗwₗ₊₁${curvature ? " + 2·d·c²" : ""}`,
      source: "@smoothhess/surrogates tfjs program-engine.ts hessianTimes (d unit directions) after one first-order pass",
    };
  }
  // structured: 4 parts of r rows; blocks on and above the diagonal: Σ_{i≤j} rᵢrⱼ = (d² + Σrᵢ²)/2 multiply-adds per term
  const parts = d >= 256 ? 4 : 1;
  const rows = Array.from({ length: parts }, (_, i) => Math.floor((d * (i + 1)) / parts) - Math.floor((d * i) / parts));
  const upper = (d * d + rows.reduce((a, r) => a + r * r, 0)) / 2;
  const terms = hiddenUnits(shape) + (curvature ? c : 0);
  const head = curvature ? 2 * d * c * c : 0;
  return {
    flops: 2 * d * macs + 2 * upper * terms + 4 * macs + head,
    formula: `2·d·Σwₗwₗ₊₁ (tangents) + (d² + Σrᵢ²)·M (blocks i ≤ j, 4 parts; M = Σ hidden widths${curvature ? " + c" : ""}) + 4·Σwₗwₗ₊₁${curvature ? " + 2·d·c²" : ""}`,
    source: "@smoothhess/onnx structured-hessian.ts: tangentPass per part, one Gemm per (block, term), one reverse sweep",
  };
}

/** Scoring one second-order model on one ball of N points: the quadratic forms uᵀHu and the gradient terms gᵀu. */
export function ballScoreFlops(d: number, points: number): FlopCount {
  return {
    flops: 2 * points * d * d + 4 * points * d,
    formula: `2·N·d² (U·H) + 2·N·d ((U·H)⊙U summed) + 2·N·d (gᵀu), N = ${points}`,
    source: "quadratic-form kernels (onnx quadratic-form-kernel.ts, metrics tfjs-quadratic-form-kernel.ts); metrics perturbation-balls.ts rowDots",
  };
}

/** The reduced attack at `radii` radii from one dense Hessian, keeping k(T) = `rank` eigenpairs. */
export function reducedAttackFlops(d: number, rank: number, radii: number): FlopCount {
  return {
    flops: (4 / 3) * d ** 3 + 2 * d * d * rank + radii * (4 * d * rank + 2 * d * d),
    formula: `4/3·d³ (tridiagonalisation) + 2·d²·k (back-transform k = ${rank} vectors) + radii·(4·d·k + 2·d²)`,
    source: "@smoothhess/linalg symmetric-eigen.ts decompose (tridiagonalize, applyReflectors on k vectors; dsytrd/dormtr counts); metrics second-order-attack.ts taylorChangeOf per radius",
  };
}

/**
 * The exact attack at `radii` radii in one Krylov subspace of final dimension `dimension`, checked at the
 * dimensions the solver grows through (each check: an m×m eigendecomposition, ≈ 14/3·m³ FLOP, and the step's
 * 4 products of d×m).
 */
export function exactAttackFlops(d: number, dimension: number, radii: number): FlopCount {
  let checks = 0;
  const dims: number[] = [];
  for (let m = Math.min(2, dimension); ; m = Math.min(dimension, Math.max(m + 4, Math.ceil(m * 1.5)))) {
    dims.push(m);
    if (m >= dimension) break;
  }
  for (const m of dims) checks += (14 / 3) * m ** 3 + 8 * d * m;
  const M = dimension;
  return {
    flops: 2 * d * d * M + 5 * d * M * M + checks + radii * 2 * d * d,
    formula: `2·d²·m (one symv per basis vector) + 5·d·m² (two reorthogonalisations, projected column) + Σ_checks (14/3·mᵢ³ + 8·d·mᵢ) + radii·2·d², m = ${M}`,
    source: "@smoothhess/linalg krylov-trust-region.ts (append, multiply, solveProjected); metrics second-order-attack.ts taylorChangeOf",
  };
}

import { InvalidArgumentError, checkInteger } from "@smoothhess/errors";
import type { NormalDraws, SmoothHessStandardError } from "@smoothhess/stein";
import { type HeatmapOptions, matrixSpec, overlaySpec, pairsSpec } from "./heatmap-specs.js";
import { greyLevels, imageGrid, pixelInteractions, type ImageGrid } from "./image-grid.js";
import { type NestedArray, nest, unravel } from "./nested.js";
import { renderSvg } from "./render-svg.js";
import { type SuperpixelInteractions, type SuperpixelOptions, superpixelView } from "./superpixel-view.js";

/** One interacting pair of input features (i < j, or i = j with `includeDiagonal`). */
export interface InteractionPair {
  /** Flat feature indices. */
  readonly i: number;
  readonly j: number;
  /** Their positions in the input's shape (e.g. `[row, column]`). */
  readonly at: readonly [readonly number[], readonly number[]];
  /** The SmoothHess entry H[i, j]. */
  readonly value: number;
  /** Its Monte-Carlo standard error, when entrywise errors were computed. */
  readonly standardError?: number;
}

/** Everything {@link Interactions} is built from. */
export interface InteractionsData {
  readonly input: Float64Array;
  readonly inputShape: readonly number[];
  readonly hessian: Float64Array;
  readonly smoothGrad: Float64Array;
  readonly smoothedValue: number;
  readonly standardError: SmoothHessStandardError;
  readonly sigma: number;
  readonly sigmaRule: string;
  readonly epsilon?: number;
  readonly samples: number;
  readonly seed: number;
  readonly normals: NormalDraws;
  readonly target: string;
  readonly engine: string;
  readonly imageShape?: readonly number[];
}

/**
 * The second-order explanation of one input (what {@link interactions} returns): SmoothHess (the Hessian of the
 * model smoothed by N(0, σ²I), paper Eq. 8), SmoothGrad from the same gradients, their Monte-Carlo standard errors,
 * lookups, top pairs, reshaping to the input's shape and SVG heatmaps. `toString()` prints a summary that includes
 * how σ was chosen.
 */
export class Interactions {
  /** The explained input, flat (row-major over {@link Interactions.inputShape}). */
  readonly input: Float64Array;
  /** Shape of one input, e.g. `[28, 28, 1]` or `[784]`. */
  readonly inputShape: readonly number[];
  /** Input dimension d. */
  readonly dim: number;
  /** SmoothHess, row-major d×d, symmetric. */
  readonly hessian: Float64Array;
  /** SmoothGrad (length d), from the same gradient calls. */
  readonly smoothGrad: Float64Array;
  /** The smoothed value (f ∗ q_σ)(x). */
  readonly smoothedValue: number;
  /**
   * Standard errors: `gradient` (per SmoothGrad entry), `smoothedValue`, `hessianFrobenius` (RMS Frobenius norm of
   * the Hessian's error) and, with `entrywiseError`, `hessian` (per entry).
   */
  readonly standardError: SmoothHessStandardError;
  /** The standard deviation σ of the smoothing Gaussian (Σ = σ²I). */
  readonly sigma: number;
  /** How σ was chosen, in one line. */
  readonly sigmaRule: string;
  /** The radius the default σ came from (absent when σ was given). */
  readonly epsilon?: number;
  /** Gradient calls at perturbed points. */
  readonly samples: number;
  /** Seed of the perturbations. */
  readonly seed: number;
  /** How the perturbations were drawn (`normals` of `@smoothhess/stein`): with the seed, what fixes the numbers. */
  readonly normals: NormalDraws;
  /** The explained function in words, e.g. `logit of class 7 (predicted)`. */
  readonly target: string;
  /** Which engine computed the gradients. */
  readonly engine: string;
  private readonly imageShape?: readonly number[];

  /** @internal Use {@link interactions}. */
  constructor(data: InteractionsData) {
    this.input = data.input;
    this.inputShape = Object.freeze([...data.inputShape]);
    this.dim = data.input.length;
    this.hessian = data.hessian;
    this.smoothGrad = data.smoothGrad;
    this.smoothedValue = data.smoothedValue;
    this.standardError = data.standardError;
    this.sigma = data.sigma;
    this.sigmaRule = data.sigmaRule;
    this.epsilon = data.epsilon;
    this.samples = data.samples;
    this.seed = data.seed;
    this.normals = data.normals;
    this.target = data.target;
    this.engine = data.engine;
    this.imageShape = data.imageShape;
  }

  /**
   * The interaction H[i, j] of two features, each given as a flat index or as its position in the input's shape
   * (e.g. `[row, column]`).
   * @throws {@link InvalidArgumentError} for an index out of range or a position of the wrong rank.
   */
  at(i: number | readonly number[], j: number | readonly number[]): number {
    return this.hessian[this.flatIndex("i", i) * this.dim + this.flatIndex("j", j)];
  }

  /**
   * The k pairs with the largest |H[i, j]|, i < j (interactions between two different features; with
   * `includeDiagonal`, also i = j). Ties keep index order.
   */
  topPairs(k = 10, options: { includeDiagonal?: boolean } = {}): InteractionPair[] {
    const count = checkInteger("k", k, 1);
    const d = this.dim;
    const diagonal = options.includeDiagonal ?? false;
    // a bounded selection: keep the best `count` in a sorted array (k is small next to d²/2)
    const best: { i: number; j: number; a: number }[] = [];
    for (let i = 0; i < d; i++) {
      for (let j = diagonal ? i : i + 1; j < d; j++) {
        const a = Math.abs(this.hessian[i * d + j]);
        if (best.length === count && a <= best[count - 1].a) continue;
        let lo = 0, hi = best.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (best[mid].a >= a) lo = mid + 1;
          else hi = mid;
        }
        best.splice(lo, 0, { i, j, a });
        if (best.length > count) best.pop();
      }
    }
    const se = this.standardError.hessian;
    return best.map(({ i, j }) => ({
      i,
      j,
      at: [unravel(i, this.inputShape), unravel(j, this.inputShape)] as const,
      value: this.hessian[i * d + j],
      ...(se ? { standardError: se[i * d + j] } : {}),
    }));
  }

  /**
   * SmoothGrad reshaped to the input's shape, and SmoothHess to `[...inputShape, ...inputShape]` (e.g. 28×28×28×28
   * for a 28×28 image: `hessian[r1][c1][r2][c2]`).
   */
  reshape(): { smoothGrad: NestedArray[]; hessian: NestedArray[] } {
    return { smoothGrad: nest(this.smoothGrad, this.inputShape), hessian: nest(this.hessian, [...this.inputShape, ...this.inputShape]) };
  }

  /** Row i of SmoothHess (every feature's interaction with feature i), flat. */
  interactionsWith(i: number | readonly number[]): Float64Array {
    const row = this.flatIndex("i", i);
    return this.hessian.slice(row * this.dim, (row + 1) * this.dim);
  }

  /** The d×d SmoothHess matrix as an SVG heatmap (block means above 96 rows). */
  async matrixSvg(options: HeatmapOptions = {}): Promise<string> {
    return renderSvg(matrixSpec(this.hessian, this.dim, { title: `SmoothHess, ${this.target}`, ...options }));
  }

  /**
   * Every pixel's interaction with one chosen pixel (flat pixel index or `[row, column]`), as an SVG heatmap over the
   * image in grey, the chosen pixel outlined. Multi-channel pixels sum their channels' interactions.
   */
  async pixelSvg(pixel: number | readonly [number, number], options: HeatmapOptions = {}): Promise<string> {
    const grid = this.grid();
    const p = this.pixelIndex(grid, pixel);
    const pixels = grid.height * grid.width;
    const row = pixelInteractions(this.hessian, grid).slice(p * pixels, (p + 1) * pixels);
    const [r, c] = [Math.floor(p / grid.width), p % grid.width];
    return renderSvg(
      overlaySpec(grid, greyLevels(this.input, grid), row, (q) => q === p, { title: `interactions with pixel (${r}, ${c})`, ...options }),
    );
  }

  /** SmoothGrad per pixel (channels summed) as an SVG heatmap over the image in grey. */
  async smoothGradSvg(options: HeatmapOptions = {}): Promise<string> {
    const grid = this.grid();
    const pixels = grid.height * grid.width;
    const values = new Float64Array(pixels);
    for (let p = 0; p < pixels; p++) for (let b = 0; b < grid.channels; b++) values[p] += this.smoothGrad[p * grid.channels + b];
    return renderSvg(overlaySpec(grid, greyLevels(this.input, grid), values, () => false, { title: "SmoothGrad", legend: "gradient", ...options }));
  }

  /** The input image in grey with its k most interacting pixel pairs drawn as lines (red positive, blue negative). */
  async topPairsSvg(k = 10, options: HeatmapOptions = {}): Promise<string> {
    const grid = this.grid();
    const pixels = grid.height * grid.width;
    const matrix = pixelInteractions(this.hessian, grid);
    const view = grid.channels === 1 ? this : undefined;
    const pairs = (view ? this.topPairs(k) : topOf(matrix, pixels, k)).map((e, rank) => ({ p: e.i, q: e.j, value: e.value, rank }));
    return renderSvg(pairsSpec(grid, greyLevels(this.input, grid), pairs, { title: `top ${pairs.length} interacting pixel pairs`, ...options }));
  }

  /**
   * Interactions between super-pixels (paper Fig. 6): the image segmented by SLIC into 20-25 super-pixels (or
   * `options.segmentation`), SmoothHess summed over every pair of super-pixels, with a heatmap view.
   */
  superpixels(options: SuperpixelOptions = {}): SuperpixelInteractions {
    return superpixelView(this.input, this.grid(), this.hessian, options);
  }

  /** A few lines: target, engine, σ and how it was chosen, samples, top pairs. */
  toString(): string {
    const top = this.topPairs(Math.min(3, Math.max(1, (this.dim * (this.dim - 1)) / 2)));
    return [
      `SmoothHess of the ${this.target} at a ${this.inputShape.join("×")} input (${this.engine})`,
      `  ${this.sigmaRule}`,
      `  ${this.samples} gradient samples, seed ${this.seed}${this.normals === "box-muller" ? "" : ` (${this.normals} normals)`}; smoothed value ${fmt(this.smoothedValue)} ± ${fmt(this.standardError.smoothedValue)}; ` +
        `Hessian error (RMS Frobenius) ${fmt(this.standardError.hessianFrobenius)}`,
      `  top pairs: ${top.map((p) => `(${p.at[0].join(",")})×(${p.at[1].join(",")}) ${fmt(p.value)}`).join("; ")}`,
    ].join("\n");
  }

  private grid(): ImageGrid {
    return imageGrid(this.dim, this.inputShape, this.imageShape);
  }

  private pixelIndex(grid: ImageGrid, pixel: number | readonly [number, number]): number {
    if (typeof pixel === "number") return checkInteger("pixel", pixel, 0, grid.height * grid.width - 1);
    if (!Array.isArray(pixel) || pixel.length !== 2) throw new InvalidArgumentError("pixel", "a pixel index or [row, column]", pixel);
    const r = checkInteger("pixel[0]", pixel[0], 0, grid.height - 1);
    const c = checkInteger("pixel[1]", pixel[1], 0, grid.width - 1);
    return r * grid.width + c;
  }

  private flatIndex(argument: string, index: number | readonly number[]): number {
    if (typeof index === "number") return checkInteger(argument, index, 0, this.dim - 1);
    if (!Array.isArray(index) || index.length !== this.inputShape.length) {
      throw new InvalidArgumentError(argument, `a flat index or a position of rank ${this.inputShape.length} ([${this.inputShape}])`, index);
    }
    let flat = 0;
    index.forEach((v, k) => {
      flat = flat * this.inputShape[k] + checkInteger(`${argument}[${k}]`, v, 0, this.inputShape[k] - 1);
    });
    return flat;
  }
}

function topOf(matrix: Float64Array, n: number, k: number): { i: number; j: number; value: number }[] {
  const all: { i: number; j: number; value: number }[] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) all.push({ i, j, value: matrix[i * n + j] });
  return all.sort((a, b) => Math.abs(b.value) - Math.abs(a.value)).slice(0, k);
}

function fmt(v: number): string {
  return Number.isFinite(v) ? Number(v.toPrecision(3)).toString() : String(v);
}

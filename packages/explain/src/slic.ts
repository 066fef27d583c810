import { InvalidArgumentError, checkInteger, checkPositive } from "@smoothhess/errors";
import type { ImageGrid } from "./image-grid.js";

/** Options of {@link slic}. */
export interface SlicOptions {
  /** Desired number of super-pixels K (the grid step is `S = √(HW/K)`). Default 25. */
  readonly segments?: number;
  /**
   * Compactness m: weight of spatial against intensity distance, `D² = d_c² + (d_s/S)² m²`, in the units of the
   * pixel values. Default 0.1 (for values in [0, 1]: segments follow edges of about a tenth of the range).
   */
  readonly compactness?: number;
  /** k-means iterations (the SLIC paper finds 10 enough). Default 10. */
  readonly iterations?: number;
}

/** A segmentation: `labels[p]` is the super-pixel of pixel p (row-major), in `[0, count)`; every one is connected. */
export interface Segmentation {
  readonly labels: Int32Array;
  readonly count: number;
}

/**
 * SLIC super-pixels (Achanta et al., TPAMI 2012; the segmentation of the SmoothHess paper's Fig. 6): k-means on
 * (intensity, position) started from a regular grid of step S moved to the lowest gradient in its 3×3 neighbourhood,
 * each centre searching a 2S × 2S window, then connectivity enforced (components smaller than a quarter of the
 * mean size join a neighbour) and labels renumbered in raster order. Deterministic.
 *
 * Written here because no maintained npm package implements SLIC (the ones that exist are browser demos tied to
 * canvas); tested on images whose segmentation is known.
 *
 * @param image - `height × width × channels` values, row-major (an input flattened as the model sees it).
 * @param grid - the image layout.
 * @throws `InvalidArgumentError` for a bad option or an image of the wrong length.
 */
export function slic(image: ArrayLike<number>, grid: ImageGrid, options: SlicOptions = {}): Segmentation {
  const { height: h, width: w, channels: c } = grid;
  const n = h * w;
  if (image.length !== n * c) throw new InvalidArgumentError("image", `${n * c} values (${h}×${w}×${c})`, image);
  const k = checkInteger("options.segments", options.segments ?? 25, 1, n);
  const m = checkPositive("options.compactness", options.compactness ?? 0.1);
  const iterations = checkInteger("options.iterations", options.iterations ?? 10, 1);
  const step = Math.sqrt(n / k);
  const value = (p: number, ch: number) => image[p * c + ch];
  const gradientAt = (r: number, col: number) => {
    if (r <= 0 || col <= 0 || r >= h - 1 || col >= w - 1) return Infinity;
    let g = 0;
    for (let ch = 0; ch < c; ch++) {
      const dy = value((r + 1) * w + col, ch) - value((r - 1) * w + col, ch);
      const dx = value(r * w + col + 1, ch) - value(r * w + col - 1, ch);
      g += dx * dx + dy * dy;
    }
    return g;
  };

  // centres: [row, col, intensity…]
  const centres: number[][] = [];
  for (let y = step / 2; y < h; y += step) {
    for (let x = step / 2; x < w; x += step) {
      let [br, bc] = [Math.min(h - 1, Math.floor(y)), Math.min(w - 1, Math.floor(x))];
      let best = gradientAt(br, bc);
      for (let dr = -1; dr <= 1; dr++) {
        for (let dc = -1; dc <= 1; dc++) {
          const g = gradientAt(Math.floor(y) + dr, Math.floor(x) + dc);
          if (g < best) [best, br, bc] = [g, Math.floor(y) + dr, Math.floor(x) + dc];
        }
      }
      const centre = [br, bc];
      for (let ch = 0; ch < c; ch++) centre.push(value(br * w + bc, ch));
      centres.push(centre);
    }
  }

  const labels = new Int32Array(n).fill(-1);
  const distance = new Float64Array(n);
  const spatial = (m * m) / (step * step);
  const window = Math.ceil(step);
  for (let it = 0; it < iterations; it++) {
    distance.fill(Infinity);
    centres.forEach((centre, label) => {
      const [cr, cc] = centre;
      for (let r = Math.max(0, Math.floor(cr - window)); r <= Math.min(h - 1, Math.ceil(cr + window)); r++) {
        for (let col = Math.max(0, Math.floor(cc - window)); col <= Math.min(w - 1, Math.ceil(cc + window)); col++) {
          const p = r * w + col;
          let dColour = 0;
          for (let ch = 0; ch < c; ch++) {
            const diff = value(p, ch) - centre[2 + ch];
            dColour += diff * diff;
          }
          const d = dColour + spatial * ((r - cr) ** 2 + (col - cc) ** 2);
          if (d < distance[p]) {
            distance[p] = d;
            labels[p] = label;
          }
        }
      }
    });
    const sums = centres.map(() => new Float64Array(3 + c));
    for (let p = 0; p < n; p++) {
      const s = sums[labels[p]];
      s[0] += Math.floor(p / w);
      s[1] += p % w;
      for (let ch = 0; ch < c; ch++) s[2 + ch] += value(p, ch);
      s[2 + c] += 1;
    }
    sums.forEach((s, label) => {
      const count = s[2 + c];
      if (count > 0) for (let i = 0; i < 2 + c; i++) centres[label][i] = s[i] / count;
    });
  }
  return enforceConnectivity(labels, h, w, Math.max(1, Math.floor(n / centres.length / 4)));
}

/**
 * Relabel 4-connected components in raster order; a component smaller than `minSize` joins the component met
 * just before it (its neighbour above or to the left of its first pixel), as in the SLIC reference code.
 */
function enforceConnectivity(labels: Int32Array, h: number, w: number, minSize: number): Segmentation {
  const n = h * w;
  const out = new Int32Array(n).fill(-1);
  const queue = new Int32Array(n);
  let next = 0;
  for (let start = 0; start < n; start++) {
    if (out[start] >= 0) continue;
    // an already-labelled neighbour of the component's first pixel, to merge into if it is too small
    let adjacent = -1;
    const r0 = Math.floor(start / w), c0 = start % w;
    if (c0 > 0 && out[start - 1] >= 0) adjacent = out[start - 1];
    else if (r0 > 0 && out[start - w] >= 0) adjacent = out[start - w];
    let head = 0, tail = 0;
    queue[tail++] = start;
    out[start] = next;
    while (head < tail) {
      const p = queue[head++];
      const r = Math.floor(p / w), col = p % w;
      for (const q of [col > 0 ? p - 1 : -1, col < w - 1 ? p + 1 : -1, r > 0 ? p - w : -1, r < h - 1 ? p + w : -1]) {
        if (q >= 0 && out[q] < 0 && labels[q] === labels[start]) {
          out[q] = next;
          queue[tail++] = q;
        }
      }
    }
    if (tail < minSize && adjacent >= 0) {
      for (let i = 0; i < tail; i++) out[queue[i]] = adjacent;
    } else {
      next++;
    }
  }
  return { labels: out, count: next };
}

/**
 * SLIC with a number of super-pixels in `[min, max]` (the paper segments into 20-25). Connectivity enforcement makes
 * the count jump with the desired K on some images, so desired counts around the range are tried with the given
 * compactness first, then with ½, 2, ¼ and 4 times it; the first segmentation in range is returned.
 * @throws `InvalidArgumentError` when none lands in the range (the message lists the counts reached).
 */
export function slicInRange(
  image: ArrayLike<number>,
  grid: ImageGrid,
  range: { min?: number; max?: number } = {},
  options: Omit<SlicOptions, "segments"> = {},
): Segmentation {
  const min = checkInteger("range.min", range.min ?? 20, 1);
  const max = checkInteger("range.max", range.max ?? 25, min);
  const pixels = grid.height * grid.width;
  const compactness = checkPositive("options.compactness", options.compactness ?? 0.1);
  const desired: number[] = [];
  for (let k = max; k >= Math.max(1, Math.floor(min / 2)); k--) desired.push(k);
  for (let k = max + 1; k <= 2 * max; k++) desired.push(k);
  const reached = new Set<number>();
  for (const factor of [1, 0.5, 2, 0.25, 4]) {
    for (const k of desired) {
      if (k > pixels) continue;
      const s = slic(image, grid, { ...options, compactness: compactness * factor, segments: k });
      reached.add(s.count);
      if (s.count >= min && s.count <= max) return s;
    }
  }
  throw new InvalidArgumentError(
    "range",
    `a super-pixel count SLIC reaches on this image (counts reached: ${[...reached].sort((a, b) => a - b).join(", ")})`,
    range,
  );
}

/**
 * Interactions between super-pixels: `M[a, b] = Σ_{p ∈ a, q ∈ b} H[p, q]` over pixel-level interactions H
 * (`pixels × pixels`; see `pixelInteractions` for images with channels). Symmetric when H is.
 */
export function superpixelInteractions(pixelHessian: ArrayLike<number>, segmentation: Segmentation): Float64Array {
  const { labels, count } = segmentation;
  const n = labels.length;
  if (pixelHessian.length !== n * n) {
    throw new InvalidArgumentError("pixelHessian", `${n}×${n} values (one row per pixel of the segmentation)`, pixelHessian);
  }
  const out = new Float64Array(count * count);
  for (let p = 0; p < n; p++) {
    const row = labels[p] * count;
    for (let q = 0; q < n; q++) out[row + labels[q]] += pixelHessian[p * n + q];
  }
  return out;
}

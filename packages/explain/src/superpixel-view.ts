import { InvalidArgumentError, checkInteger } from "@smoothhess/errors";
import { type HeatmapOptions, overlaySpec, segmentsSpec } from "./heatmap-specs.js";
import { greyLevels, pixelInteractions, type ImageGrid } from "./image-grid.js";
import { renderSvg } from "./render-svg.js";
import type { VegaLiteSpec } from "./vega-lite-spec.js";
import { type Segmentation, type SlicOptions, slicInRange, superpixelInteractions } from "./slic.js";

/** Options of {@link superpixelView}. */
export interface SuperpixelOptions extends Omit<SlicOptions, "segments"> {
  /** A segmentation to use (e.g. shared by several explainers of one image); default SLIC on the image. */
  readonly segmentation?: Segmentation;
  /** Super-pixel count range for SLIC; default 20-25 (the paper's). */
  readonly min?: number;
  readonly max?: number;
}

/** Interactions between the super-pixels of one image (paper Fig. 6). */
export interface SuperpixelInteractions {
  /** The image layout. */
  readonly grid: ImageGrid;
  /** The segmentation (pixel → super-pixel). */
  readonly segmentation: Segmentation;
  /** `count × count`: `M[a, b]` sums the interactions of every pixel of a with every pixel of b. */
  readonly matrix: Float64Array;
  /**
   * A default super-pixel to show: the one with the largest total |interaction| with the others among the
   * super-pixels brighter than the image's mean (on the object, not the background), or among all when none is.
   */
  readonly strongest: number;
  /** Row a of the matrix: super-pixel a's interaction with every super-pixel. */
  interactionsWith(segment: number): Float64Array;
  /**
   * A heatmap over the image in grey: every pixel coloured by its super-pixel's interaction with `segment`, that
   * super-pixel outlined in black and left uncoloured (paper Fig. 6). The colour scale spans ± the largest |value|
   * shown.
   */
  svg(segment?: number, options?: HeatmapOptions): Promise<string>;
  /** The Vega-Lite spec {@link SuperpixelInteractions.svg} renders (to compose figures). */
  spec(segment?: number, options?: HeatmapOptions): VegaLiteSpec;
  /** The image in grey with every super-pixel's boundary drawn thin and `segment`'s outlined thick. */
  imageSpec(segment?: number, options?: HeatmapOptions): VegaLiteSpec;
}

/**
 * Super-pixel interactions from any `pixels × pixels`-level Hessian of an image input (SmoothHess, or a surrogate's
 * exact Hessian, row-major `d × d` with `d = H·W·C`; channels are summed per pixel): SLIC into 20-25 super-pixels
 * (or a given segmentation), then `M[a, b] = Σ_{p ∈ a, q ∈ b} H[p, q]`.
 *
 * @param image - the explained input, flat `H × W × C`.
 * @param hessian - row-major `d × d`.
 * @throws `InvalidArgumentError` for a Hessian or segmentation that does not fit the image.
 */
export function superpixelView(image: ArrayLike<number>, grid: ImageGrid, hessian: Float64Array, options: SuperpixelOptions = {}): SuperpixelInteractions {
  const pixels = grid.height * grid.width;
  const d = pixels * grid.channels;
  if (hessian.length !== d * d) throw new InvalidArgumentError("hessian", `${d}×${d} values (the image's size squared)`, hessian);
  const segmentation = options.segmentation ?? slicInRange(image, grid, { min: options.min, max: options.max }, options);
  if (segmentation.labels.length !== pixels) {
    throw new InvalidArgumentError("options.segmentation", `labels for ${pixels} pixels`, segmentation.labels);
  }
  const matrix = superpixelInteractions(pixelInteractions(hessian, grid), segmentation);
  const count = segmentation.count;
  const grey = greyLevels(image, grid);
  const brightness = new Float64Array(count);
  const sizes = new Float64Array(count);
  let mean = 0;
  segmentation.labels.forEach((l, p) => {
    brightness[l] += grey[p];
    sizes[l] += 1;
    mean += grey[p] / pixels;
  });
  const onObject = Array.from({ length: count }, (_, a) => brightness[a] / sizes[a] > mean);
  const candidates = onObject.some(Boolean) ? onObject : onObject.map(() => true);
  let strongest = 0, best = -1;
  for (let a = 0; a < count; a++) {
    if (!candidates[a]) continue;
    let s = 0;
    for (let b = 0; b < count; b++) if (b !== a) s += Math.abs(matrix[a * count + b]);
    if (s > best) [best, strongest] = [s, a];
  }
  const row = (segment: number) => {
    const a = checkInteger("segment", segment, 0, count - 1);
    return matrix.slice(a * count, (a + 1) * count);
  };
  return {
    grid,
    segmentation,
    matrix,
    strongest,
    interactionsWith: row,
    spec(segment = strongest, heatmap: HeatmapOptions = {}) {
      const values = row(segment);
      // the chosen super-pixel is outlined, not coloured: its self-interaction would set the scale of the others
      const perPixel = Float64Array.from(segmentation.labels, (l) => (l === segment ? 0 : values[l]));
      return overlaySpec(grid, grey, perPixel, (p) => segmentation.labels[p] === segment, {
        title: `interactions with super-pixel ${segment}`,
        opacity: 0.65,
        ...heatmap,
      });
    },
    async svg(segment = strongest, heatmap: HeatmapOptions = {}) {
      return renderSvg(this.spec(segment, heatmap));
    },
    imageSpec(segment = strongest, heatmap: HeatmapOptions = {}) {
      checkInteger("segment", segment, 0, count - 1);
      return segmentsSpec(grid, grey, segmentation.labels, segment, { title: `${count} super-pixels`, ...heatmap });
    },
  };
}

import type { TopLevelSpec } from "vega-lite";
import type { ImageGrid } from "./image-grid.js";

/** Options of the heatmaps. */
export interface HeatmapOptions {
  /** Title above the chart. */
  readonly title?: string;
  /** Size of one pixel (image views) or matrix cell, in SVG units. Default 10 (image), 4 (matrix). */
  readonly cellSize?: number;
}

const DIVERGING = { scheme: "redblue", reverse: true, domainMid: 0 } as const;

/** The largest |v|, at least a tiny positive number so the colour scale stays defined. */
function extent(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) m = Math.max(m, Math.abs(values[i]));
  return m > 0 ? m : 1e-300;
}

/**
 * @internal The d×d matrix as a heatmap, blue (negative) to red (positive) around 0. Above `maxCells` rows the
 * matrix is shown as the mean of square blocks (so the SVG stays small); the title says so.
 */
export function matrixSpec(matrix: Float64Array, d: number, options: HeatmapOptions & { maxCells?: number }): TopLevelSpec {
  const maxCells = options.maxCells ?? 96;
  const block = Math.ceil(d / maxCells);
  const cells = Math.ceil(d / block);
  const values: { r: number; c: number; v: number }[] = [];
  for (let r = 0; r < cells; r++) {
    for (let c = 0; c < cells; c++) {
      let s = 0, count = 0;
      for (let i = r * block; i < Math.min(d, (r + 1) * block); i++) {
        for (let j = c * block; j < Math.min(d, (c + 1) * block); j++) {
          s += matrix[i * d + j];
          count++;
        }
      }
      values.push({ r, c, v: s / count });
    }
  }
  const m = extent(values.map((e) => e.v));
  const size = options.cellSize ?? Math.max(2, Math.floor(384 / cells));
  const note = block > 1 ? ` (means of ${block}×${block} blocks)` : "";
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: (options.title ?? "SmoothHess") + note,
    width: cells * size,
    height: cells * size,
    data: { values },
    mark: { type: "rect" },
    encoding: {
      x: { field: "c", type: "ordinal", axis: null },
      y: { field: "r", type: "ordinal", axis: null },
      color: { field: "v", type: "quantitative", title: "interaction", scale: { ...DIVERGING, domain: [-m, m] } },
    },
    config: { view: { stroke: null } },
  };
}

function pixelRows(grid: ImageGrid, fields: Record<string, ArrayLike<number>>): Record<string, number>[] {
  const rows: Record<string, number>[] = [];
  for (let r = 0; r < grid.height; r++) {
    for (let c = 0; c < grid.width; c++) {
      const p = r * grid.width + c;
      const row: Record<string, number> = { r, c, r1: r + 1, c1: c + 1 };
      for (const [name, values] of Object.entries(fields)) row[name] = values[p];
      rows.push(row);
    }
  }
  return rows;
}

function position(grid: ImageGrid) {
  return {
    x: { field: "c", type: "quantitative", scale: { domain: [0, grid.width] }, axis: null },
    x2: { field: "c1" },
    y: { field: "r", type: "quantitative", scale: { domain: [0, grid.height], reverse: true }, axis: null },
    y2: { field: "r1" },
  } as const;
}

/** An image layer in grey levels (0 black, 1 white). */
function imageLayer(grid: ImageGrid, grey: ArrayLike<number>) {
  return {
    data: { values: pixelRows(grid, { g: grey }) },
    mark: { type: "rect" as const },
    encoding: {
      ...position(grid),
      color: { field: "g", type: "quantitative" as const, scale: { domain: [0, 1], range: ["black", "white"] }, legend: null },
    },
  };
}

/** Line segments (in pixel units) outlining a set of pixels: edges between a member and a non-member. */
export function outlineSegments(grid: ImageGrid, member: (p: number) => boolean): { x: number; y: number; x2: number; y2: number }[] {
  const segments: { x: number; y: number; x2: number; y2: number }[] = [];
  const inside = (r: number, c: number) => r >= 0 && c >= 0 && r < grid.height && c < grid.width && member(r * grid.width + c);
  for (let r = 0; r < grid.height; r++) {
    for (let c = 0; c < grid.width; c++) {
      if (!inside(r, c)) continue;
      if (!inside(r - 1, c)) segments.push({ x: c, y: r, x2: c + 1, y2: r });
      if (!inside(r + 1, c)) segments.push({ x: c, y: r + 1, x2: c + 1, y2: r + 1 });
      if (!inside(r, c - 1)) segments.push({ x: c, y: r, x2: c, y2: r + 1 });
      if (!inside(r, c + 1)) segments.push({ x: c + 1, y: r, x2: c + 1, y2: r + 1 });
    }
  }
  return segments;
}

function outlineLayer(grid: ImageGrid, segments: { x: number; y: number; x2: number; y2: number }[]) {
  return {
    data: { values: segments },
    mark: { type: "rule" as const, color: "black", strokeWidth: 2 },
    encoding: {
      x: { field: "x", type: "quantitative" as const, scale: { domain: [0, grid.width] }, axis: null },
      y: { field: "y", type: "quantitative" as const, scale: { domain: [0, grid.height], reverse: true }, axis: null },
      x2: { field: "x2" },
      y2: { field: "y2" },
    },
  };
}

/**
 * @internal Per-pixel values (e.g. every pixel's interaction with one chosen pixel or super-pixel) as a diverging
 * heatmap over the image in grey, with the pixels of `outlined` outlined in black.
 */
export function overlaySpec(
  grid: ImageGrid,
  grey: ArrayLike<number>,
  values: ArrayLike<number>,
  outlined: (p: number) => boolean,
  options: HeatmapOptions & { legend?: string; opacity?: number },
): TopLevelSpec {
  const m = extent(values);
  const size = options.cellSize ?? 10;
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: options.title ?? "interactions",
    width: grid.width * size,
    height: grid.height * size,
    layer: [
      imageLayer(grid, grey),
      {
        data: { values: pixelRows(grid, { v: values }) },
        mark: { type: "rect", opacity: options.opacity ?? 0.75 },
        encoding: {
          ...position(grid),
          color: { field: "v", type: "quantitative", title: options.legend ?? "interaction", scale: { ...DIVERGING, domain: [-m, m] } },
        },
      },
      outlineLayer(grid, outlineSegments(grid, outlined)),
    ],
    resolve: { scale: { color: "independent" } },
    config: { view: { stroke: null } },
  } as TopLevelSpec;
}

/** @internal The image in grey with the given pixel pairs drawn as lines (red positive, blue negative; width ∝ |value|). */
export function pairsSpec(
  grid: ImageGrid,
  grey: ArrayLike<number>,
  pairs: readonly { p: number; q: number; value: number; rank: number }[],
  options: HeatmapOptions,
): TopLevelSpec {
  const size = options.cellSize ?? 10;
  const m = extent(pairs.map((e) => e.value));
  const centre = (p: number) => ({ x: (p % grid.width) + 0.5, y: Math.floor(p / grid.width) + 0.5 });
  const lines = pairs.map(({ p, q, value, rank }) => {
    const a = centre(p), b = centre(q);
    return { x: a.x, y: a.y, x2: b.x, y2: b.y, value, w: 1 + 4 * (Math.abs(value) / m), sign: value >= 0 ? "positive" : "negative", rank };
  });
  const ends = lines.flatMap((l) => [{ x: l.x, y: l.y, sign: l.sign }, { x: l.x2, y: l.y2, sign: l.sign }]);
  const x = { field: "x", type: "quantitative" as const, scale: { domain: [0, grid.width] }, axis: null };
  const y = { field: "y", type: "quantitative" as const, scale: { domain: [0, grid.height], reverse: true }, axis: null };
  const signColor = { field: "sign", type: "nominal" as const, title: "interaction", scale: { domain: ["positive", "negative"], range: ["#d62728", "#1f77b4"] } };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: options.title ?? `top ${pairs.length} interacting pairs`,
    width: grid.width * size,
    height: grid.height * size,
    layer: [
      imageLayer(grid, grey),
      {
        data: { values: lines },
        mark: { type: "rule", opacity: 0.85 },
        encoding: { x, y, x2: { field: "x2" }, y2: { field: "y2" }, color: signColor, strokeWidth: { field: "w", type: "quantitative", scale: null, legend: null } },
      },
      { data: { values: ends }, mark: { type: "circle", size: 30, opacity: 1 }, encoding: { x, y, color: { ...signColor, legend: null } } },
    ],
    resolve: { scale: { color: "independent" } },
    config: { view: { stroke: null } },
  } as TopLevelSpec;
}

/** @internal The image in grey with the boundaries between super-pixels (thin, white) and one outlined (black). */
export function segmentsSpec(grid: ImageGrid, grey: ArrayLike<number>, labels: Int32Array, chosen: number, options: HeatmapOptions): TopLevelSpec {
  const size = options.cellSize ?? 10;
  const boundaries: { x: number; y: number; x2: number; y2: number }[] = [];
  for (let r = 0; r < grid.height; r++) {
    for (let c = 0; c < grid.width; c++) {
      const p = r * grid.width + c;
      if (c + 1 < grid.width && labels[p] !== labels[p + 1]) boundaries.push({ x: c + 1, y: r, x2: c + 1, y2: r + 1 });
      if (r + 1 < grid.height && labels[p] !== labels[p + grid.width]) boundaries.push({ x: c, y: r + 1, x2: c + 1, y2: r + 1 });
    }
  }
  const thin = outlineLayer(grid, boundaries);
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: options.title ?? "super-pixels",
    width: grid.width * size,
    height: grid.height * size,
    layer: [imageLayer(grid, grey), { ...thin, mark: { type: "rule", color: "#f2b134", strokeWidth: 1 } }, outlineLayer(grid, outlineSegments(grid, (p) => labels[p] === chosen))],
    resolve: { scale: { color: "independent" } },
    config: { view: { stroke: null } },
  } as TopLevelSpec;
}

import { randomDenseNetwork } from "@smoothhess/oracle";
import { describe, expect, it } from "vitest";
import { interactions } from "./interactions.js";
import { outlineSegments } from "./heatmap-specs.js";

const net = randomDenseNetwork([16, 10, 3], { seed: 1 });
const x = Float64Array.from({ length: 16 }, (_, i) => (i % 5) / 4);

/** Number of marks vega drew in the SVG groups of a mark type (one <path> per rect, <line> per rule). */
function count(svg: string, pattern: RegExp): number {
  return (svg.match(pattern) ?? []).length;
}

describe("SVG heatmaps", () => {
  it("matrix, pixel and top-pair views render standalone SVG with the expected marks", async () => {
    const r = await interactions(net, x, { samples: 400, sigma: 0.2 });
    const matrix = await r.matrixSvg();
    expect(matrix.startsWith("<svg")).toBe(true);
    expect(matrix).toContain("SmoothHess, logit of class");
    expect(count(matrix, /<path [^>]*d="M[^"]*"[^>]*>/g)).toBeGreaterThanOrEqual(256); // 16×16 cells
    const pixel = await r.pixelSvg([1, 2]);
    expect(pixel).toContain("interactions with pixel (1, 2)");
    expect(count(pixel, /<line /g)).toBeGreaterThanOrEqual(4); // the chosen pixel's outline
    const gradient = await r.smoothGradSvg();
    expect(gradient).toContain("SmoothGrad");
    expect(count(gradient, /<line /g)).toBe(0); // nothing outlined
    const pairs = await r.topPairsSvg(5);
    expect(pairs).toContain("top 5 interacting pixel pairs");
    expect(count(pairs, /<line /g)).toBeGreaterThanOrEqual(5);
  });

  it("matrices above 96 rows are drawn as block means", async () => {
    const big = randomDenseNetwork([100, 4, 2], { seed: 2 });
    const r = await interactions(big, new Float64Array(100).fill(0.5), { samples: 40, sigma: 0.3, imageShape: [10, 10] });
    const svg = await r.matrixSvg();
    expect(svg).toContain("means of 2×2 blocks");
  });

  it("outlines a region by its boundary edges", () => {
    // a 2×2 block inside a 4×4 grid has 8 boundary edges; a single pixel 4
    expect(outlineSegments({ height: 4, width: 4, channels: 1 }, (p) => [5, 6, 9, 10].includes(p))).toHaveLength(8);
    expect(outlineSegments({ height: 4, width: 4, channels: 1 }, (p) => p === 0)).toHaveLength(4);
  });

  it("refuses a flat input that is not a square image unless imageShape is given", async () => {
    const flat = randomDenseNetwork([6, 4, 2], { seed: 2 });
    const r = await interactions(flat, [0, 0.2, 0.4, 0.6, 0.8, 1], { samples: 40, sigma: 0.3 });
    await expect(r.pixelSvg(0)).rejects.toThrow(/imageShape/);
    const ok = await interactions(flat, [0, 0.2, 0.4, 0.6, 0.8, 1], { samples: 40, sigma: 0.3, imageShape: [2, 3] });
    expect(await ok.pixelSvg([1, 2])).toContain("pixel (1, 2)");
    const wrong = await interactions(flat, [0, 0.2, 0.4, 0.6, 0.8, 1], { samples: 40, sigma: 0.3, imageShape: [2, 2] });
    await expect(wrong.topPairsSvg(2)).rejects.toThrow(/imageShape: expected 6 values/);
  });
});

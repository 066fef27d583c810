import { quadraticOracle } from "@smoothhess/oracle";
import { describe, expect, it } from "vitest";
import { interactions } from "./interactions.js";
import { renderSvg } from "./render-svg.js";
import { superpixelView } from "./superpixel-view.js";

describe("super-pixel interactions (paper Fig. 6)", () => {
  it("sum SmoothHess over pairs of SLIC super-pixels; the view outlines the chosen one", async () => {
    // a 12×12 image: four constant quadrants, so SLIC's segments are known; a quadratic whose Hessian couples them
    const [h, w] = [12, 12];
    const x = Float64Array.from({ length: h * w }, (_, p) => (Math.floor(p / w) < 6 ? 0 : 0.5) + ((p % w) < 6 ? 0 : 0.25));
    const quadrant = (p: number) => (Math.floor(p / w) < 6 ? 0 : 2) + ((p % w) < 6 ? 0 : 1);
    const d = h * w;
    const coupling = [
      [0, 1, 0, -2],
      [1, 0, 0.5, 0],
      [0, 0.5, 0, 0],
      [-2, 0, 0, 0],
    ];
    const hessian = Float64Array.from({ length: d * d }, (_, k) => coupling[quadrant(Math.floor(k / d))][quadrant(k % d)] / 36);
    const oracle = quadraticOracle(d, { hessian });
    const result = await interactions(oracle, x, { samples: 400, sigma: 0.1 });
    const view = result.superpixels({ min: 4, max: 4, compactness: 0.01 });
    expect(view.segmentation.count).toBe(4);
    // brute force from the estimate itself
    const labels = view.segmentation.labels;
    for (let a = 0; a < 4; a++) {
      for (let b = 0; b < 4; b++) {
        let s = 0;
        for (let p = 0; p < d; p++) for (let q = 0; q < d; q++) if (labels[p] === a && labels[q] === b) s += result.hessian[p * d + q];
        expect(view.matrix[a * 4 + b]).toBeCloseTo(s, 10);
      }
    }
    // and the exact Hessian summed over the quadrants is the coupling matrix (36 × 36 pixel pairs / 36)
    const exact = superpixelView(x, { height: h, width: w, channels: 1 }, hessian, { segmentation: view.segmentation });
    const labelOf = (quadrantIndex: number) => labels[[0, 6, 6 * w, 6 * w + 6][quadrantIndex]];
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) expect(exact.matrix[labelOf(i) * 4 + labelOf(j)]).toBeCloseTo(coupling[i][j] * 36, 9);
    // among the quadrants brighter than the mean (values 0.5 and 0.75), quadrant 3's |−2| beats quadrant 2's |0.5|
    // (quadrant 0, |1| + |−2|, is background and not a candidate)
    expect(exact.strongest).toBe(labelOf(3));
    const svg = await exact.svg(undefined, { title: "SmoothHess · P_MSE 0.01" });
    expect(svg).toContain("SmoothHess · P_MSE 0.01");
    expect((svg.match(/<line /g) ?? []).length).toBeGreaterThanOrEqual(24); // the 6×6 quadrant's outline
    await expect(exact.svg(4)).rejects.toThrow(/segment/);
    // the image view: thin boundaries between the four quadrants (two lines of 12 unit edges) plus the outline
    const imageView = await renderSvg(exact.imageSpec(0));
    expect(imageView).toContain("4 super-pixels");
    expect((imageView.match(/<line /g) ?? []).length).toBeGreaterThanOrEqual(24 + 24);
  });
});

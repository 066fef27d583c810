import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { slic, slicInRange, superpixelInteractions, type Segmentation } from "./slic.js";

/** True when two labellings define the same partition (equal up to renaming). */
function samePartition(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  const ab = new Map<number, number>(), ba = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    if ((ab.get(a[i]) ?? b[i]) !== b[i] || (ba.get(b[i]) ?? a[i]) !== a[i]) return false;
    ab.set(a[i], b[i]);
    ba.set(b[i], a[i]);
  }
  return true;
}

/** Every label in [0, count) is used and its pixels are 4-connected. */
function checkSegmentation(s: Segmentation, h: number, w: number): void {
  const seen = new Set<number>();
  for (const l of s.labels) {
    expect(l).toBeGreaterThanOrEqual(0);
    expect(l).toBeLessThan(s.count);
    seen.add(l);
  }
  expect(seen.size).toBe(s.count);
  for (let label = 0; label < s.count; label++) {
    const members = [...s.labels.keys()].filter((p) => s.labels[p] === label);
    const reached = new Set([members[0]]);
    const stack = [members[0]];
    while (stack.length) {
      const p = stack.pop() as number;
      const [r, c] = [Math.floor(p / w), p % w];
      for (const [rr, cc] of [[r - 1, c], [r + 1, c], [r, c - 1], [r, c + 1]]) {
        const q = rr * w + cc;
        if (rr >= 0 && cc >= 0 && rr < h && cc < w && s.labels[q] === label && !reached.has(q)) {
          reached.add(q);
          stack.push(q);
        }
      }
    }
    expect(reached.size, `segment ${label} is connected`).toBe(members.length);
  }
}

describe("SLIC recovers known segmentations", () => {
  it("a 4×4 grid of constant blocks (distinct grey levels) is segmented into exactly those blocks", () => {
    const [h, w, b] = [24, 24, 6];
    const truth = new Int32Array(h * w);
    const image = new Float64Array(h * w);
    // grey levels in a scrambled order so neighbouring blocks differ by different amounts
    const level = (block: number) => ((block * 7) % 16) / 15;
    for (let p = 0; p < h * w; p++) {
      const block = Math.floor(Math.floor(p / w) / b) * 4 + Math.floor((p % w) / b);
      truth[p] = block;
      image[p] = level(block);
    }
    const s = slic(image, { height: h, width: w, channels: 1 }, { segments: 16 });
    expect(s.count).toBe(16);
    expect(samePartition(s.labels, truth)).toBe(true);
  });

  it("a dark and a bright half with noise: no super-pixel crosses the edge", () => {
    const [h, w] = [20, 30];
    let seed = 1;
    const noise = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 0.1;
    const image = Float64Array.from({ length: h * w }, (_, p) => ((p % w) < 13 ? 0.1 : 0.9) + noise());
    const s = slic(image, { height: h, width: w, channels: 1 }, { segments: 12 });
    checkSegmentation(s, h, w);
    for (let label = 0; label < s.count; label++) {
      const sides = new Set([...s.labels.keys()].filter((p) => s.labels[p] === label).map((p) => (p % w) < 13));
      expect(sides.size, `segment ${label} stays on one side`).toBe(1);
    }
  });

  it("three colour channels: a red and a green region with equal brightness are told apart", () => {
    const [h, w] = [12, 12];
    const image = new Float64Array(h * w * 3);
    for (let p = 0; p < h * w; p++) image[p * 3 + (Math.floor(p / w) < 5 ? 0 : 1)] = 0.8;
    const s = slic(image, { height: h, width: w, channels: 3 }, { segments: 4 });
    for (let label = 0; label < s.count; label++) {
      const sides = new Set([...s.labels.keys()].filter((p) => s.labels[p] === label).map((p) => Math.floor(p / w) < 5));
      expect(sides.size).toBe(1);
    }
  });

  it("any image: labels cover [0, count), every super-pixel is connected, the result is deterministic", () => {
    fc.assert(
      fc.property(fc.integer({ min: 6, max: 20 }), fc.integer({ min: 6, max: 20 }), fc.integer({ min: 1, max: 30 }), fc.integer(), (h, w, k, seed) => {
        let state = Math.abs(seed) + 1;
        const image = Float64Array.from({ length: h * w }, () => (state = (state * 48271) % 2147483647) / 2147483647);
        const s = slic(image, { height: h, width: w, channels: 1 }, { segments: Math.min(k, h * w) });
        checkSegmentation(s, h, w);
        expect(slic(image, { height: h, width: w, channels: 1 }, { segments: Math.min(k, h * w) }).labels).toEqual(s.labels);
      }),
      { numRuns: 40 },
    );
  });

  it("slicInRange lands in 20-25 super-pixels on a 28×28 image", () => {
    const image = Float64Array.from({ length: 784 }, (_, p) => (Math.hypot(Math.floor(p / 28) - 14, (p % 28) - 14) < 8 ? 1 : 0));
    const s = slicInRange(image, { height: 28, width: 28, channels: 1 });
    expect(s.count).toBeGreaterThanOrEqual(20);
    expect(s.count).toBeLessThanOrEqual(25);
    checkSegmentation(s, 28, 28);
  });
});

describe("superpixelInteractions", () => {
  it("sums the pixel Hessian over pairs of super-pixels: identity labels give H back, totals are kept, symmetry too", () => {
    const n = 6;
    const hessian = Float64Array.from({ length: n * n }, (_, k) => {
      const [i, j] = [Math.floor(k / n), k % n];
      return Math.sin(i + 1) * Math.sin(j + 1) + (i === j ? 1 : 0);
    });
    expect(Array.from(superpixelInteractions(hessian, { labels: Int32Array.from([0, 1, 2, 3, 4, 5]), count: 6 }))).toEqual(Array.from(hessian));
    const m = superpixelInteractions(hessian, { labels: Int32Array.from([0, 0, 1, 1, 1, 2]), count: 3 });
    // M[0, 1] = Σ_{p ∈ {0,1}, q ∈ {2,3,4}} H[p, q]
    let expected = 0;
    for (const p of [0, 1]) for (const q of [2, 3, 4]) expected += hessian[p * n + q];
    expect(m[1]).toBeCloseTo(expected, 14);
    expect(m[3]).toBeCloseTo(m[1], 14);
    expect(m.reduce((a, b) => a + b, 0)).toBeCloseTo(hessian.reduce((a, b) => a + b, 0), 12);
    expect(() => superpixelInteractions(hessian, { labels: Int32Array.from([0, 1]), count: 2 })).toThrow(/pixelHessian/);
  });
});

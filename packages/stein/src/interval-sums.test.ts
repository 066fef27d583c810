import { describe, expect, it } from "vitest";
import { gaussianSampler } from "@smoothhess/random";
import { intervalBlockSums, intervalSums } from "./interval-sums.js";

describe("intervalSums / intervalBlockSums", () => {
  it("sum groups of consecutive entries", () => {
    expect([...intervalSums([1, 2, 3, 4, 5, 6], 2)]).toEqual([3, 7, 11]);
    // H = [[1,2,3,4],[5,6,7,8],[9,10,11,12],[13,14,15,16]] in 2×2 blocks
    const h = Float64Array.from({ length: 16 }, (_, i) => i + 1);
    expect([...intervalBlockSums(h, 4, 2)]).toEqual([1 + 2 + 5 + 6, 3 + 4 + 7 + 8, 9 + 10 + 13 + 14, 11 + 12 + 15 + 16]);
    expect(() => intervalSums([1, 2, 3], 2)).toThrow(/size/);
    expect(() => intervalBlockSums([1, 2, 3], 2, 1)).toThrow(/h/);
  });

  it("block sums are the quadratic form of the interval indicators, u_Iᵀ H u_J (50 random sizes, fixed seed)", () => {
    const sizes = gaussianSampler(99);
    for (let run = 0; run < 50; run++) {
      const m = 1 + Math.floor(4 * sizes.uniform()), size = 1 + Math.floor(5 * sizes.uniform());
      const d = m * size;
      const h = gaussianSampler(run).fillNormal(new Float64Array(d * d));
      const blocks = intervalBlockSums(h, d, size);
      for (let a = 0; a < m; a++) {
        for (let b = 0; b < m; b++) {
          const u = (k: number, i: number) => (i >= k * size && i < (k + 1) * size ? 1 : 0);
          let q = 0;
          for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) q += u(a, i) * h[i * d + j] * u(b, j);
          expect(blocks[a * m + b]).toBeCloseTo(q, 10);
        }
      }
    }
  });
});

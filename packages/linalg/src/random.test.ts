import { describe, expect, it } from "vitest";
import { uniformGenerator } from "./random.js";

describe("uniformGenerator", () => {
  it("is deterministic per seed, differs between seeds, stays in [0, 1) and has the moments of U(0, 1)", () => {
    const a = uniformGenerator(42);
    const b = uniformGenerator(42);
    const c = uniformGenerator(43);
    const n = 200_000;
    let sum = 0;
    let sum2 = 0;
    let same = 0;
    let repeated = 0;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const x = a();
      if (b() === x) repeated++;
      if (c() === x) same++;
      if (!(x >= 0 && x < 1)) outside++;
      sum += x;
      sum2 += x * x;
    }
    expect(repeated).toBe(n);
    expect(same).toBe(0);
    expect(outside).toBe(0);
    // mean 1/2 and variance 1/12; standard errors ≈ 6.5e-4 and 1.9e-4, so 5σ bounds
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(3.3e-3);
    expect(Math.abs(sum2 / n - (sum / n) ** 2 - 1 / 12)).toBeLessThan(1e-3);
  });
});

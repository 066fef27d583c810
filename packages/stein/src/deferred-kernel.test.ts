import { describe, expect, it } from "vitest";
import { networkOracle, randomDenseNetwork, type GradientOracle } from "@smoothhess/oracle";
import { float64Kernel, smoothHess, type OuterProductKernel } from "./index.js";

const network = networkOracle(randomDenseNetwork([5, 9, 1], { seed: 11, biasScale: 0.3 }));
const x0 = Float64Array.from({ length: 5 }, (_, i) => 0.2 * i - 0.4);
const bits = (values: ArrayLike<number>) => Array.from(values);

/**
 * float64Kernel run later: copies the operands when called (as it declares), adds the product when its promise
 * resolves, after a pseudo-random delay. Records the order of events.
 */
function laterKernel(events: string[], failAt = -1): OuterProductKernel & { pending: number } {
  let calls = 0;
  const kernel = {
    name: "later",
    copiesOperandsOnCall: true,
    pending: 0,
    addTransposedProduct(out: Float64Array, a: Float64Array, b: Float64Array, m: number, p: number, q: number) {
      const k = calls++;
      const [ca, cb] = [a.slice(0, m * p), b.slice(0, m * q)];
      events.push(`product ${k}`);
      kernel.pending++;
      return new Promise<void>((resolve, reject) =>
        setTimeout(() => {
          kernel.pending--;
          if (k === failAt) return reject(new Error(`product ${k} failed`));
          float64Kernel.addTransposedProduct(out, ca, cb, m, p, q);
          events.push(`added ${k}`);
          resolve();
        }, (k * 5) % 3),
      );
    },
  };
  return kernel;
}

describe("a kernel that copies its operands on call (copiesOperandsOnCall)", () => {
  it("runs while the next batch is drawn and folded, and gives the float64 kernel's estimate to the bit", async () => {
    const events: string[] = [];
    const oracle: GradientOracle = { dim: 5, evaluate: (points, n) => (events.push("oracle"), network.evaluate(points, n)) };
    for (const entrywiseError of [false, true]) {
      const options = { covariance: { sigma: 0.3 }, samples: 6_000, seed: 3, entrywiseError };
      const expected = await smoothHess(network, x0, options);
      const kernel = laterKernel(events);
      const result = await smoothHess(oracle, x0, { ...options, kernel });
      expect(kernel.pending).toBe(0); // everything added before smoothHess returned
      expect(bits(result.hessian)).toEqual(bits(expected.hessian));
      expect(result.standardError.hessianFrobenius).toBe(expected.standardError.hessianFrobenius);
      if (entrywiseError) expect(bits(result.standardError.hessian!)).toEqual(bits(expected.standardError.hessian!));
    }
    // The oracle was asked for a batch while a product was still being computed.
    const overlapped = events.some((e, i) => e === "oracle" && events.slice(0, i).filter((x) => x.startsWith("product")).length > events.slice(0, i).filter((x) => x.startsWith("added")).length);
    expect(overlapped).toBe(true);
  });

  it("a product that fails rejects smoothHess, and nothing is left in flight", async () => {
    const kernel = laterKernel([], 2);
    await expect(smoothHess(network, x0, { covariance: { sigma: 0.3 }, samples: 6_000, kernel })).rejects.toThrowError("product 2 failed");
    expect(kernel.pending).toBe(0);
  });

  it("without the declaration each product is awaited before the next batch is handled", async () => {
    const events: string[] = [];
    const later = laterKernel(events);
    const kernel: OuterProductKernel = { name: "awaited", addTransposedProduct: (...args) => later.addTransposedProduct(...args) };
    await smoothHess(network, x0, { covariance: { sigma: 0.3 }, samples: 4_096, kernel }); // 4 blocks of 512 pairs
    expect(events.filter((e) => e.startsWith("added")).length).toBe(4);
    for (let i = 0; i < 3; i++) expect(events.indexOf(`added ${i}`)).toBeLessThan(events.indexOf(`product ${i + 1}`));
  });
});

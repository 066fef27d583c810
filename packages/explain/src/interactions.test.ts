import { DimensionMismatchError, InvalidArgumentError } from "@smoothhess/errors";
import { networkOracle, quadraticOracle, randomDenseNetwork } from "@smoothhess/oracle";
import { smoothHess } from "@smoothhess/stein";
import { describe, expect, it } from "vitest";
import { interactions } from "./interactions.js";

const net = randomDenseNetwork([9, 12, 8, 4], { seed: 3 });
const x0 = Float64Array.from({ length: 9 }, (_, i) => Math.sin(i + 1) * 0.5 + 0.5);

function argmax(v: ArrayLike<number>): number {
  let k = 0;
  for (let i = 1; i < v.length; i++) if (v[i] > v[k]) k = i;
  return k;
}

describe("interactions on a float64 DenseNetwork", () => {
  it("is smoothHess of the predicted class's logit with the documented default σ, and says so", async () => {
    const result = await interactions(net, x0, { samples: 2000, seed: 5 });
    const k = argmax(net.forward(x0)[2]);
    let lo = Infinity, hi = -Infinity;
    for (const v of x0) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    const sigma = (0.25 * (hi - lo)) / Math.sqrt(9);
    expect(result.sigma).toBeCloseTo(sigma, 14);
    const direct = await smoothHess(networkOracle(net, { output: k }), x0, { covariance: { sigma }, samples: 2000, seed: 5 });
    expect(Array.from(result.hessian)).toEqual(Array.from(direct.hessian));
    expect(Array.from(result.smoothGrad)).toEqual(Array.from(direct.gradient));
    expect(result.standardError.hessianFrobenius).toBe(direct.standardError.hessianFrobenius);
    expect(result.target).toBe(`logit of class ${k} (predicted)`);
    expect(result.engine).toBe("float64");
    const text = String(result);
    expect(text).toContain("three-σ rule");
    expect(text).toContain(`σ = ε/√d = ${Number(sigma.toPrecision(4))}`);
    expect(text).toContain("2000 gradient samples, seed 5");
  });

  it("passes normals to smoothHess and says which in the result (ziggurat: other numbers, the same estimate)", async () => {
    const boxMuller = await interactions(net, x0, { samples: 20_000, seed: 5, sigma: 0.2 });
    const ziggurat = await interactions(net, x0, { samples: 20_000, seed: 5, sigma: 0.2, normals: "ziggurat" });
    const k = argmax(net.forward(x0)[2]);
    const direct = await smoothHess(networkOracle(net, { output: k }), x0, { covariance: { sigma: 0.2 }, samples: 20_000, seed: 5, normals: "ziggurat" });
    expect(Array.from(ziggurat.hessian)).toEqual(Array.from(direct.hessian));
    expect(Array.from(ziggurat.hessian)).not.toEqual(Array.from(boxMuller.hessian));
    const frobenius = Math.hypot(...ziggurat.hessian.map((h, i) => h - boxMuller.hessian[i]));
    const errors = Math.hypot(ziggurat.standardError.hessianFrobenius, boxMuller.standardError.hessianFrobenius);
    expect(frobenius).toBeLessThan(4 * errors);
    expect([boxMuller.normals, ziggurat.normals]).toEqual(["box-muller", "ziggurat"]);
    expect(String(ziggurat)).toContain("20000 gradient samples, seed 5 (ziggurat normals)");
    expect(String(boxMuller)).toContain("20000 gradient samples, seed 5; ");
    await expect(interactions(net, x0, { normals: "polar" as never })).rejects.toThrow(/options\.normals/);
  });

  it("at, topPairs, interactionsWith and reshape read the Hessian as the brute force does", async () => {
    const result = await interactions(net, x0, { samples: 1000, inputShape: [3, 3], sigma: 0.2, entrywiseError: true });
    const d = 9;
    expect(result.sigmaRule).toBe("σ = 0.2 (given)");
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        expect(result.at(i, j)).toBe(result.hessian[i * d + j]);
        expect(result.at([Math.floor(i / 3), i % 3], [Math.floor(j / 3), j % 3])).toBe(result.hessian[i * d + j]);
      }
    }
    const all: { i: number; j: number; v: number }[] = [];
    for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) all.push({ i, j, v: result.hessian[i * d + j] });
    all.sort((a, b) => Math.abs(b.v) - Math.abs(a.v));
    const top = result.topPairs(5);
    expect(top.map((p) => [p.i, p.j])).toEqual(all.slice(0, 5).map((p) => [p.i, p.j]));
    expect(top[0].at).toEqual([[Math.floor(top[0].i / 3), top[0].i % 3], [Math.floor(top[0].j / 3), top[0].j % 3]]);
    expect(top[0].standardError).toBe(result.standardError.hessian?.[top[0].i * d + top[0].j]);
    const withDiagonal = result.topPairs(3, { includeDiagonal: true });
    expect(Math.abs(withDiagonal[0].value)).toBeGreaterThanOrEqual(Math.abs(top[0].value));
    expect(Array.from(result.interactionsWith([1, 2]))).toEqual(Array.from(result.hessian.slice(5 * d, 6 * d)));
    const { hessian, smoothGrad } = result.reshape();
    expect((hessian as number[][][][])[1][2][0][1]).toBe(result.hessian[5 * d + 1]);
    expect((smoothGrad as number[][])[2][1]).toBe(result.smoothGrad[7]);
  });

  it("chooses the target per call and explains a batch as separate calls would", async () => {
    const x1 = Float64Array.from(x0, (v, i) => (i % 2 ? 1 - v : v));
    const [a, b] = await interactions(net, [x0, x1], { samples: 500, target: { softmax: 2 }, sigma: 0.1 });
    const b1 = await interactions(net, x1, { samples: 500, target: { softmax: 2 }, sigma: 0.1 });
    expect(Array.from(b.hessian)).toEqual(Array.from(b1.hessian));
    expect(a.target).toBe("SoftMax probability of class 2");
    const ce = await interactions(net, x0, { samples: 500, target: { crossEntropy: 1 }, sigma: 0.1 });
    const direct = await smoothHess(networkOracle(net, { crossEntropy: 1 }), x0, { covariance: { sigma: 0.1 }, samples: 500 });
    expect(Array.from(ce.hessian)).toEqual(Array.from(direct.hessian));
    const progress: number[] = [];
    await interactions(net, [x0, x1], { samples: 200, sigma: 0.1, onProgress: (p) => progress.push(p.input) });
    expect(new Set(progress)).toEqual(new Set([0, 1]));
  });

  it("recovers a quadratic's Hessian within its standard error (a GradientOracle, no target)", async () => {
    const h = [2, -1, 0.5, -1, 3, 0, 0.5, 0, -4];
    const oracle = quadraticOracle(3, { hessian: h });
    const result = await interactions(oracle, [0.1, 0.2, 0.3], { samples: 20_000, sigma: 0.5 });
    let err = 0;
    for (let k = 0; k < 9; k++) err += (result.hessian[k] - h[k]) ** 2;
    expect(Math.sqrt(err)).toBeLessThan(5 * result.standardError.hessianFrobenius);
    expect(result.standardError.hessianFrobenius).toBeLessThan(0.2);
    expect(result.engine).toBe("your oracle");
  });
});

describe("typed errors", () => {
  it("names the argument at fault", async () => {
    const oracle = quadraticOracle(3, { hessian: [1, 0, 0, 0, 1, 0, 0, 0, 1] });
    await expect(interactions(oracle, [0, 0, 0], { target: { output: 1 } })).rejects.toThrow(/options\.target/);
    await expect(interactions(net, [1, 2, 3])).rejects.toThrow(DimensionMismatchError);
    await expect(interactions(net, x0, { sigma: -1 })).rejects.toThrow(/options\.sigma/);
    await expect(interactions(net, x0, { target: { output: 4 } })).rejects.toThrow(/options\.target\.output/);
    await expect(interactions(net, [x0, [Number.NaN]])).rejects.toThrow(/x\[1\]/);
    await expect(interactions({} as never, x0)).rejects.toThrow(InvalidArgumentError);
    await expect(interactions(net, x0, { engine: "fast" })).rejects.toThrow(/options\.engine/);
    await expect(interactions(net, x0, { samples: 3 })).rejects.toThrow(/options\.samples/);
    const r = await interactions(net, x0, { samples: 100, sigma: 0.1 });
    expect(() => r.at(9, 0)).toThrow(/i: expected an integer/);
    expect(() => r.at([0, 0], 0)).toThrow(/position of rank 1/);
    expect(() => r.topPairs(0)).toThrow(/k/);
  });
});

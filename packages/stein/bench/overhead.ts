import { measure, printTable } from "@smoothhess/bench-tools";
import { type GradientOracle } from "@smoothhess/oracle";
import { gaussianSampler } from "@smoothhess/random";
import { smoothGrad, smoothHess } from "../src/index.js";

/**
 * Estimator overhead beyond the oracle calls at d = 784, n = 10⁴ (antithetic: 5,000 pairs), measured with an
 * oracle that costs nothing (it hands back precomputed float32 gradients), against a baseline run in the same
 * process: the d²·(n/2) multiply-adds the estimator must do, as plain rank-1 updates in a float64 loop.
 */
export async function benchOverhead(): Promise<void> {
  const d = 784, n = 10_000, units = n / 2;
  const rng = gaussianSampler(1);
  const stock = rng.fillNormal(new Float32Array(1024 * d));
  const free: GradientOracle = {
    dim: d,
    evaluate: (_points, m) => ({ values: new Float64Array(m), gradients: stock.subarray(0, m * d) }),
  };
  const x0 = rng.fillUniform(new Float64Array(d));
  const options = { covariance: { sigma: 0.05 }, samples: n, seed: 0 };

  const a = rng.fillNormal(new Float64Array(units * d));
  const b = rng.fillNormal(new Float64Array(units * d));
  const baseline = await measure(() => {
    const out = new Float64Array(d * d);
    for (let u = 0; u < units; u++) {
      const row = u * d;
      for (let r = 0; r < d; r++) {
        const x = a[row + r];
        const o = r * d;
        for (let c = 0; c < d; c++) out[o + c] += x * b[row + c];
      }
    }
    return out;
  }, { repeats: 1 });
  const hess = await measure(() => smoothHess(free, x0, options), { repeats: 1 });
  const grad = await measure(() => smoothGrad(free, x0, options), { repeats: 1 });
  const fma = d * d * units;
  console.log(`## Estimator overhead, d = ${d}, n = ${n} (antithetic), oracle cost excluded\n`);
  printTable([
    ["what", "seconds", "ratio to baseline", "GFMA/s"],
    ["baseline: d²·n/2 multiply-adds, plain rank-1 loop", baseline.seconds, 1, fma / baseline.seconds / 1e9],
    ["smoothHess (sampling + outer products + SmoothGrad)", hess.seconds, hess.seconds / baseline.seconds, fma / hess.seconds / 1e9],
    ["smoothGrad alone (sampling + means)", grad.seconds, grad.seconds / baseline.seconds, "-"],
  ]);
  console.log("");
}

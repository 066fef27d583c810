import { printTable } from "@smoothhess/bench-tools";
import { type GradientOracle } from "@smoothhess/oracle";
import { gaussianSampler, zigguratSampler } from "@smoothhess/random";
import { smoothHess, type OuterProductKernel } from "../src/index.js";

/**
 * The estimator's own JavaScript in one SmoothHess point at d = 784, n = 10⁵ (antithetic), per CPU-second: an
 * oracle that costs nothing (precomputed float32 gradients) and a kernel that does nothing, so what remains is
 * what every configuration pays on top of its oracle and kernel (Gaussian draws, perturbed points, gradient
 * differences, moments, the Frobenius standard error, the oracle's output checks). Baseline in the same process:
 * the 3.9·10⁷ standard normals alone, drawn as the estimator draws them (784 per call). Then the same with
 * `normals: "ziggurat"` and the ziggurat's normals alone. `SAMPLES=…` sets n.
 */
export async function benchOwnJavaScript(): Promise<void> {
  const d = 784, n = Number(process.env.SAMPLES ?? 100_000), rounds = 3;
  const rng = gaussianSampler(1);
  const stock = rng.fillNormal(new Float32Array(1024 * d));
  const free: GradientOracle = { dim: d, evaluate: (_p, m) => ({ values: new Float64Array(m), gradients: stock.subarray(0, m * d) }) };
  const noKernel: OuterProductKernel = { name: "no-op", addTransposedProduct: () => undefined };
  const x0 = rng.fillUniform(new Float64Array(d));
  const leastCpu = async (run: () => unknown): Promise<number> => {
    let best = Infinity;
    for (let r = 0; r < rounds; r++) {
      const cpu0 = process.cpuUsage();
      await run();
      const cpu = process.cpuUsage(cpu0);
      best = Math.min(best, (cpu.user + cpu.system) / 1e6);
    }
    return best;
  };
  const normals = await leastCpu(() => {
    const draws = gaussianSampler(0), z = new Float64Array(d);
    for (let u = 0; u < n / 2; u++) draws.fillNormal(z);
  });
  const estimator = await leastCpu(() => smoothHess(free, x0, { covariance: { sigma: 0.1 }, samples: n, seed: 0, kernel: noKernel }));
  const float32Points = await leastCpu(() => smoothHess({ ...free, pointPrecision: "float32" } as GradientOracle, x0, { covariance: { sigma: 0.1 }, samples: n, seed: 0, kernel: noKernel }));
  const zigguratNormals = await leastCpu(() => {
    const draws = zigguratSampler(0), z = new Float64Array(d);
    for (let u = 0; u < n / 2; u++) draws.fillNormal(z);
  });
  const zigguratEstimator = await leastCpu(() => smoothHess(free, x0, { covariance: { sigma: 0.1 }, samples: n, seed: 0, kernel: noKernel, normals: "ziggurat" }));
  console.log(`## The estimator's own JavaScript, d = ${d}, n = ${n.toLocaleString("en")} (antithetic; free oracle, no-op kernel; least CPU-s of ${rounds})\n`);
  printTable([
    ["what", "CPU-s", "ratio to the normals alone"],
    [`baseline: ${((n / 2) * d).toLocaleString("en")} standard normals (fillNormal, ${d} per call)`, normals, 1],
    ["smoothHess without oracle and kernel cost", estimator, estimator / normals],
    ["the same, oracle declaring pointPrecision: 'float32'", float32Points, float32Points / normals],
    [`the ziggurat's ${((n / 2) * d).toLocaleString("en")} standard normals (zigguratSampler, ${d} per call)`, zigguratNormals, zigguratNormals / normals],
    ["smoothHess without oracle and kernel cost, normals: 'ziggurat'", zigguratEstimator, zigguratEstimator / normals],
  ]);
  console.log("");
}

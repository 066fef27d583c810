/**
 * SmoothHess at d = 784, n = 10⁴ (antithetic) with an oracle that costs nothing: the default float64 JavaScript
 * kernel against `tfjsOuterProductKernel()` on the wasm backend, in the same process, with the largest entry-wise
 * difference of the two Hessians. Run: `pnpm --filter @smoothhess/tfjs bench:kernel`.
 */
import { machineLine, measure, printTable } from "@smoothhess/bench-tools";
import { type GradientOracle } from "@smoothhess/oracle";
import { gaussianSampler } from "@smoothhess/random";
import { smoothHess } from "@smoothhess/stein";
// The built bundle, not src: tfjs-core's deep imports (`@tensorflow/tfjs-core/dist/…`, extensionless inside) do not
// resolve under plain Node ESM. The path is
// a variable so that typechecking (which runs before this package is built) takes the types from src.
const bundle = "../dist/index.js";
const { tfjsOuterProductKernel, useBackend } = (await import(bundle)) as typeof import("../src/index.js");

await useBackend("wasm");
const d = 784, n = 10_000;
const rng = gaussianSampler(1);
const stock = rng.fillNormal(new Float32Array(1024 * d));
const free: GradientOracle = { dim: d, evaluate: (_p, m) => ({ values: new Float64Array(m), gradients: stock.subarray(0, m * d) }) };
const x0 = rng.fillUniform(new Float64Array(d));
const options = { covariance: { sigma: 0.05 }, samples: n, seed: 0 };
const kernel = tfjsOuterProductKernel();
let h64: Float64Array = new Float64Array(0), h32: Float64Array = new Float64Array(0);
const js = await measure(async () => { h64 = (await smoothHess(free, x0, options)).hessian; }, { repeats: 1 });
const wasm = await measure(async () => { h32 = (await smoothHess(free, x0, { ...options, kernel })).hessian; }, { repeats: 1 });
let diff = 0, scale = 0;
for (let k = 0; k < h64.length; k++) {
  diff = Math.max(diff, Math.abs(h64[k] - h32[k]));
  scale = Math.max(scale, Math.abs(h64[k]));
}
console.log(`# smoothHess kernels, d = ${d}, n = ${n} (antithetic), oracle cost excluded\n${machineLine()}\n`);
printTable([
  ["kernel", "seconds", "ratio to float64 JS", "GFMA/s (d²·n/2)"],
  ["float64-js (default)", js.seconds, 1, (d * d * n) / 2 / js.seconds / 1e9],
  [kernel.name, wasm.seconds, wasm.seconds / js.seconds, (d * d * n) / 2 / wasm.seconds / 1e9],
]);
console.log(`\nlargest |H_float64 − H_tfjs| = ${diff.toExponential(2)} (largest |H| = ${scale.toExponential(2)})`);

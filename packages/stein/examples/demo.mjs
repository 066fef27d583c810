// SmoothHess of a toy ReLU network, next to its exact value.
// Run from the repository root: `pnpm demo` (builds the packages first).
import { covariance, networkOracle, randomDenseNetwork, smoothedShallowRelu } from "@smoothhess/oracle";
import { smoothHess } from "@smoothhess/stein";

const d = 3;
// f(x) = Σⱼ aⱼ relu(wⱼᵀx + bⱼ): a one-hidden-layer ReLU network with 16 units and seeded weights.
const network = randomDenseNetwork([d, 16, 1], { seed: 1, biasScale: 0.5 });
const oracle = networkOracle(network); // exact float64 gradients by backpropagation
const x0 = [0.2, -0.1, 0.4];
const sigma = covariance({ sigma: 0.3 }, d); // smoothing N(0, 0.09·I)

const samples = 200_000;
const started = performance.now();
const result = await smoothHess(oracle, x0, { covariance: sigma, samples, seed: 0, entrywiseError: true });
const seconds = (performance.now() - started) / 1000;
const exact = smoothedShallowRelu(network, x0, sigma); // closed form, for comparison

const fmt = (v) => (v >= 0 ? " " : "") + v.toFixed(4);
const rows = (m) => Array.from({ length: d }, (_, r) => Array.from({ length: d }, (_, c) => fmt(m[r * d + c])).join("  "));
console.log(`SmoothHess of a ${d}-16-1 ReLU network at x0 = [${x0}], Σ = 0.09·I, ${samples} gradient samples (${seconds.toFixed(2)} s)\n`);
console.log("estimate (Stein, Eq. 8)          exact (closed form)              standard error");
const est = rows(result.hessian), ex = rows(exact.hessian), se = rows(result.standardError.hessian);
for (let r = 0; r < d; r++) console.log(`${est[r]}    ${ex[r]}    ${se[r]}`);
console.log(`\nSmoothGrad (same pass): [${Array.from(result.gradient, fmt).join(", ")}]`);
console.log(`exact smoothed gradient: [${Array.from(exact.gradient, fmt).join(", ")}]`);
console.log(`\nThe ReLU network's own Hessian is 0 almost everywhere; SmoothHess is the Hessian of f convolved with N(0, Σ).`);

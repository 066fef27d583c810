/**
 * Float64 reference path on the paper's MNIST MLP (784-500-300-250-250-250-10, random He weights):
 * one SoftPlus Hessian at one point and a 100-value β sweep, timed against one gradient call of the same network.
 */
import { measure, printTable } from "@smoothhess/bench-tools";
import { networkOracle, randomDenseNetwork } from "@smoothhess/oracle";
import { gaussianSampler } from "@smoothhess/random";
import { betaSweep, crossEntropyHessian, referenceSurrogates, softmaxHessian } from "../src/index.js";

export async function benchReferenceHessian(sweepSize = 100): Promise<void> {
  const sizes = [784, 500, 300, 250, 250, 250, 10];
  const relu = randomDenseNetwork(sizes, { seed: 1 });
  const rng = gaussianSampler(5);
  const x0 = new Float64Array(784);
  for (let i = 0; i < 784; i++) x0[i] = Math.min(1, Math.max(0, 0.5 + 0.3 * rng.normal()));
  const net = referenceSurrogates(relu);
  const target = { output: 3 };

  // baseline: one gradient call of the ReLU network (the oracle package's backpropagation)
  const oracle = networkOracle(relu, target);
  const gradient = await measure(() => oracle.evaluate(x0, 1), { repeats: 21 });
  const sp = net.surrogate({ name: "softplus", beta: 10 });
  const spGradient = await measure(() => sp.oracle(target).evaluate(x0, 1), { repeats: 21 });
  const hessian = await measure(() => sp.hessians(x0, 1, target), { repeats: 5 });
  const neuron = await measure(() => sp.hessians(x0, 1, { layer: 5, unit: 0 }), { repeats: 5 });
  const v = new Float64Array(784).map(() => rng.normal());
  const hvp = await measure(() => sp.hessianVectorProducts(x0, v, 1, target), { repeats: 11 });
  const v32 = new Float64Array(32 * 784).map(() => rng.normal());
  const hvp32 = await measure(() => sp.hessianVectorProducts(x0, v32, 32, target), { repeats: 5 });
  const vanilla = await measure(() => softmaxHessian(net.original, x0, 3), { repeats: 11 });
  const ce = await measure(() => crossEntropyHessian(net.original, x0, 3).hessian.eigen(), { repeats: 5 });

  const betas = Array.from({ length: sweepSize }, (_, i) => 0.1 * 8000 ** (i / (sweepSize - 1))); // 0.1 … 800, log-spaced
  const sweep = await measure(
    async () => {
      for await (const step of betaSweep(net, x0, target, { betas })) void step.hessian[0];
    },
    { repeats: 1, warmup: false },
  );

  const g = gradient.seconds;
  const row = (name: string, m: { seconds: number }, per = 1) => [name, m.seconds * 1e3, (m.seconds / per) * 1e3, m.seconds / per / g];
  console.log(`## float64 reference, MNIST MLP ${sizes.join("-")}, one point\n`);
  printTable([
    ["operation", "total ms", "ms per item", "per item, × one gradient call"],
    row("gradient, ReLU (networkOracle) — baseline", gradient),
    row("gradient, SoftPlus β=10", spGradient),
    row("SoftPlus β=10 Hessian 784×784, logit", hessian),
    row("SoftPlus β=10 Hessian 784×784, penultimate neuron", neuron),
    row("SoftPlus Hessian-vector product, 1 direction", hvp),
    row("SoftPlus Hessian-vector products, 32 directions", hvp32, 32),
    row("vanilla SoftMax Hessian, factored (c = 10)", vanilla),
    row("cross-entropy Hessian, factored + eigenpairs", ce),
    row(`β sweep, ${sweepSize} SoftPlus Hessians (per β)`, sweep, sweepSize),
  ]);
  console.log("");
}

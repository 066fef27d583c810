/**
 * tfjs path (wasm backend, float32) on the paper's MNIST MLP (784-500-300-250-250-250-10, He-uniform weights):
 * one SoftPlus Hessian at one point and a 100-value β sweep, timed against one gradient call of the same network.
 */
import { measure, printTable } from "@smoothhess/bench-tools";
import { gaussianSampler } from "@smoothhess/random";
import { paperMnistMlp, tfjsOracle, useBackend } from "@smoothhess/tfjs";
import { betaSweep, softmaxHessian } from "../src/index.js";
import { tfjsSurrogates } from "../src/tfjs/index.js";

export async function benchTfjsHessian(sweepSize = 100): Promise<void> {
  const backend = await useBackend("wasm");
  const network = paperMnistMlp(1);
  const rng = gaussianSampler(5);
  const x0 = Float32Array.from({ length: 784 }, () => rng.uniform());
  const net = tfjsSurrogates(network, { directionBatch: 196 });
  const target = { output: 3 };
  const spec = { name: "softplus", beta: 10 } as const;
  const sp = net.surrogate(spec);

  // baselines: one gradient call of the same network at one point
  const fast = tfjsOracle(network, target, { activation: spec, workers: 0 });
  const fastGradient = await measure(() => fast.evaluate(x0, 1), { repeats: 21 });
  const ourGradient = await measure(() => sp.oracle(target).evaluate(x0, 1), { repeats: 21 });
  const hessian = await measure(() => sp.hessians(x0, 1, target), { repeats: 5 });
  const v = Float64Array.from({ length: 784 }, () => rng.normal());
  const hvp = await measure(() => sp.hessianVectorProducts(x0, v, 1, target), { repeats: 11 });
  const vanilla = await measure(() => softmaxHessian(net.original, x0, 3), { repeats: 11 });

  const betas = Array.from({ length: sweepSize }, (_, i) => 0.1 * 8000 ** (i / (sweepSize - 1)));
  const sweep = await measure(
    async () => {
      for await (const step of betaSweep(net, x0, target, { betas })) void step.hessian[0];
    },
    { repeats: 1, warmup: false },
  );
  await fast.dispose();
  net.dispose();
  network.dispose();

  const g = fastGradient.seconds;
  const row = (name: string, m: { seconds: number }, per = 1) => [name, m.seconds * 1e3, (m.seconds / per) * 1e3, m.seconds / per / g];
  console.log(`## tfjs (${backend}, float32), MNIST MLP 784-500-300-250-250-250-10, one point\n`);
  printTable([
    ["operation", "total ms", "ms per item", "per item, × one gradient call"],
    row("gradient, SoftPlus β=10, tfjsOracle fast path — baseline", fastGradient),
    row("gradient, SoftPlus β=10, this package's first-order pass", ourGradient),
    row("SoftPlus β=10 Hessian 784×784, logit", hessian),
    row("SoftPlus Hessian-vector product, 1 direction", hvp),
    row("vanilla SoftMax Hessian, factored (c = 10)", vanilla),
    row(`β sweep, ${sweepSize} SoftPlus Hessians (per β)`, sweep, sweepSize),
  ]);
  console.log("");
}

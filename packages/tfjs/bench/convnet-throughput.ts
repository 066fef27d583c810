// Input-gradient throughput of the paper's convnets on wasm: the forward pass alone, the tf.grad oracle and the
// fast oracle (flipped-filter forward convolutions instead of wasm's scalar Conv2DBackpropInput), same process.
//   cd packages/tfjs && pnpm bench:convnets
import * as tf from "@tensorflow/tfjs-core";
import os from "node:os";

const built: string = "../dist/index.js";
const lib: typeof import("../src/index.js") = await import(built);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);

async function rate(f: () => Promise<unknown> | unknown, perCall: number): Promise<number> {
  await f();
  let calls = 0;
  const start = performance.now();
  while (performance.now() - start < SECONDS * 1000) {
    await f();
    calls++;
  }
  return (calls * perCall) / ((performance.now() - start) / 1000);
}

await lib.useBackend("wasm");
console.log(`backend ${tf.getBackend()}, ${os.cpus().length} cores, load avg ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
for (const [name, net, batch] of [
  ["ResNet-18 32×32×3", lib.paperResNet18(0), Number(process.env.RESNET_BATCH ?? 16)],
  ["spirometry CNN (300, k=200, 20 ch, 10 blocks)", lib.paperSpirometryCnn(0), 64],
] as const) {
  const x = tf.randomUniform([batch, net.inputSize], 0, 1, "float32", 1) as tf.Tensor2D;
  const xs = x.dataSync() as Float32Array;
  const forward = await rate(() => tf.tidy(() => net.forward(x).output.dataSync()), batch);
  const slow = lib.tfjsOracle(net, { output: 0 }, { engine: "autograd", maxBatchSize: batch });
  const fast = lib.tfjsOracle(net, { output: 0 }, { engine: "fast", maxBatchSize: batch, workers: 0 });
  const workers = os.availableParallelism();
  const pooled = lib.tfjsOracle(net, { output: 0 }, { engine: "fast", maxBatchSize: batch, workers });
  const a = await slow.evaluate(xs, batch);
  const b = await fast.evaluate(xs, batch);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.gradients.length; i++) {
    diff = Math.max(diff, Math.abs(a.gradients[i] - b.gradients[i]));
    scale = Math.max(scale, Math.abs(a.gradients[i]));
  }
  const slowRate = await rate(() => slow.evaluate(xs, batch), batch);
  const fastRate = await rate(() => fast.evaluate(xs, batch), batch);
  const pooledRate = await rate(() => pooled.evaluate(xs, batch), batch);
  console.log(`${name}, batch ${batch}: forward only ${forward.toFixed(1)}/s`);
  console.log(`  tf.grad oracle ${slowRate.toFixed(1).padStart(8)} gradients/s   1.00x`);
  console.log(`  fast, 1 thread ${fastRate.toFixed(1).padStart(8)} gradients/s   ${(fastRate / slowRate).toFixed(2)}x   (max |Δ| ${diff.toExponential(1)} of max |g| ${scale.toExponential(1)})`);
  console.log(`  fast, ${workers} workers${pooledRate.toFixed(1).padStart(8)} gradients/s   ${(pooledRate / slowRate).toFixed(2)}x`);
  await slow.dispose();
  await fast.dispose();
  await pooled.dispose();
  x.dispose();
  net.dispose();
}
console.log(`load avg after: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);

// Input-gradient throughput of the paper's MNIST MLP (784-500-300-250-250-250-10) at batch 1024, class-logit
// target, ReLU, wasm backend: tf.grad (autograd) vs the fast path in this thread vs the fast path on worker
// threads. All three run in this process, so the ratios are meaningful even when the machine is shared.
//
//   pnpm --filter @smoothhess/tfjs bench            (or: cd packages/tfjs && pnpm bench)
//   BENCH_SECONDS=5 pnpm bench                       (longer timing window per engine)
import * as tf from "@tensorflow/tfjs-core";
import os from "node:os";
import type { TfjsOracle } from "../src/index.js";
import { gaussianSampler } from "@smoothhess/random";

// The built package: plain Node (tsx) cannot load tfjs-core's gradient registrations from source (extensionless
// ESM imports inside tfjs-core's dist); the tsup bundle carries them. `pnpm bench` builds first.
const built: string = "../dist/index.js";
const { paperMnistMlp, tfjsOracle, useBackend }: typeof import("../src/index.js") = await import(built);

const BATCH = 1024;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);

/**
 * Wall-clock gradients/s, and gradients per CPU-second of this process (all threads, workers included): the
 * second does not drop when other jobs take the cores, so `perCpuSecond × cores` says what free cores would give.
 */
async function throughput(oracle: TfjsOracle, x: Float32Array): Promise<{ wall: number; perCpuSecond: number }> {
  await oracle.evaluate(x, BATCH); // warm-up (and worker start-up)
  let calls = 0;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  while (performance.now() - start < SECONDS * 1000) {
    await oracle.evaluate(x, BATCH);
    calls++;
  }
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { wall: (calls * BATCH) / seconds, perCpuSecond: (calls * BATCH) / ((cpu.user + cpu.system) / 1e6) };
}

function line(label: string, r: { wall: number; perCpuSecond: number }, base: number): string {
  return (
    `${label.padEnd(28)} ${r.wall.toFixed(0).padStart(8)} gradients/s   ${(r.wall / base).toFixed(2).padStart(5)}x` +
    `   (${r.perCpuSecond.toFixed(0)} per CPU-second)`
  );
}

async function main(): Promise<void> {
  await useBackend("wasm");
  const net = paperMnistMlp(0);
  const x = gaussianSampler(1).fillUniform(new Float32Array(BATCH * net.inputSize));
  const target = { output: 3 } as const;

  const autograd = tfjsOracle(net, target, { engine: "autograd" });
  const fast1 = tfjsOracle(net, target, { engine: "fast", workers: 0 });
  const workers = os.availableParallelism();
  const fastN = tfjsOracle(net, target, { engine: "fast", workers });

  // Same numbers from all three (float32 tolerance), so the comparison is between equal results.
  const [a, b, c] = [await autograd.evaluate(x, BATCH), await fast1.evaluate(x, BATCH), await fastN.evaluate(x, BATCH)];
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.gradients.length; i++) {
    scale = Math.max(scale, Math.abs(a.gradients[i]));
    diff = Math.max(diff, Math.abs(a.gradients[i] - b.gradients[i]), Math.abs(a.gradients[i] - c.gradients[i]));
  }

  const load = os.loadavg().map((l) => l.toFixed(2)).join(" ");
  console.log(`MNIST MLP 784-500-300-250-250-250-10, batch ${BATCH}, backend ${tf.getBackend()}, ${os.cpus().length} cores, load avg ${load}`);
  console.log(`max |Δ gradient| between engines: ${diff.toExponential(2)} (max |gradient| ${scale.toExponential(2)})`);
  const base = await throughput(autograd, x);
  console.log(line("tf.grad (autograd)", base, base.wall));
  const one = await throughput(fast1, x);
  console.log(line("fast path, 1 thread", one, base.wall));
  const many = await throughput(fastN, x);
  console.log(line(`fast path, ${workers} worker threads`, many, base.wall));
  console.log(
    `with ${os.cpus().length} free cores the worker path would give ~${(many.perCpuSecond * Math.min(workers, os.cpus().length)).toFixed(0)} gradients/s ` +
      `(per-CPU-second rate × cores); target ≥ 15,000`,
  );
  console.log(`load avg after: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  await Promise.all([autograd.dispose(), fast1.dispose(), fastN.dispose()]);
  net.dispose();
}

await main();

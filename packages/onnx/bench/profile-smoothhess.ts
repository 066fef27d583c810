/**
 * Where one SmoothHess point's time goes on the engine (paperMnistMlp(0), logit 3, d = 784, antithetic, σ = 0.1,
 * oracle and kernel with one ONNX Runtime thread each): run under `node --cpu-prof` to see stein's own JavaScript.
 *
 *   pnpm --filter @smoothhess/onnx exec tsx --cpu-prof --cpu-prof-dir=<dir> bench/profile-smoothhess.ts
 *   SAMPLES=100000 …    Monte-Carlo samples (default 100,000)
 *   WORKER=1 …          oracle and kernel on worker threads (`workerThread: true`): the main thread's profile is
 *                       then stein's JavaScript and the waits
 *   BATCH=1024 …        the oracle's batch size (default 1024)
 */
import { readFileSync, readdirSync } from "node:fs";
import { gaussianSampler } from "@smoothhess/random";
import { smoothHess } from "@smoothhess/stein";
import { paperMnistMlp, useBackend } from "@smoothhess/tfjs";
import { loadOnnxModel, networkToOnnx, onnxOracle, onnxOuterProductKernel } from "../src/index.js";

const SAMPLES = Number(process.env.SAMPLES ?? 100_000);
await useBackend("cpu");
const net = paperMnistMlp(0);
const model = await loadOnnxModel(networkToOnnx(net));
net.dispose();
const workerThread = process.env.WORKER === "1";
const oracle = await onnxOracle(model, { target: { output: 3 }, threads: 1, workerThread, batchSize: Number(process.env.BATCH ?? 1024) });
const kernel = await onnxOuterProductKernel({ threads: 1, workerThread });
const x0 = gaussianSampler(11).fillUniform(new Float64Array(784));
await oracle.evaluate(new Float32Array(1024 * 784), 1024);
/** CPU-seconds of each thread of this process by /proc (Linux; empty elsewhere), keyed by thread id and name. */
function threadCpu(): Map<string, number> {
  const ticks = new Map<string, number>();
  try {
    for (const tid of readdirSync("/proc/self/task")) {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks.set(`${tid} ${name}`, (Number(fields[11]) + Number(fields[12])) / 100); // utime + stime, at 100 Hz
    }
  } catch {
    // not Linux
  }
  return ticks;
}
const threads0 = threadCpu();
const cpu0 = process.cpuUsage();
const start = performance.now();
const result = await smoothHess(oracle, x0, { covariance: { sigma: 0.1 }, samples: SAMPLES, seed: 0, kernel });
const usage = process.cpuUsage(cpu0);
console.log(`smoothHess n = ${SAMPLES}: ${((performance.now() - start) / 1000).toFixed(2)} s wall, ${((usage.user + usage.system) / 1e6).toFixed(2)} CPU-s; H[0] = ${result.hessian[0]}`);
const threads1 = threadCpu();
const busy = [...threads1].map(([key, t]) => [key, t - (threads0.get(key) ?? 0)] as const).filter(([, t]) => t >= 0.05);
console.log(`CPU-s by thread (≥ 0.05): ${busy.map(([key, t]) => `${key.split(" ").slice(1).join(" ")} ${t.toFixed(2)}`).join(", ")}`);
await oracle.dispose();
await kernel.dispose();

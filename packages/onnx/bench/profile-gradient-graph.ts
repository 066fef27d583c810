/**
 * Where the engine's gradient time goes: ONNX Runtime's per-node profile of the MNIST MLP's input-gradient graph
 * (paperMnistMlp(0) exported by networkToOnnx, logit 3, batch 1024, one thread, 30 runs), summed by operator.
 *
 *   pnpm --filter @smoothhess/onnx exec tsx bench/profile-gradient-graph.ts
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import * as ort from "onnxruntime-node";
import { paperMnistMlp, useBackend } from "@smoothhess/tfjs";
import { buildGradientGraph, encodeModel, loadOnnxModel, networkToOnnx, resolveOnnxTarget } from "../src/index.js";

const RUNS = 30;
await useBackend("cpu");
const net = paperMnistMlp(0);
const model = await loadOnnxModel(networkToOnnx(net));
net.dispose();
const gradient = await buildGradientGraph(model, await resolveOnnxTarget(model, { output: 3 }));
const dir = mkdtempSync(path.join(os.tmpdir(), "smoothhess-onnx-profile-"));
try {
  const session = await ort.InferenceSession.create(encodeModel(gradient.graph), {
    intraOpNumThreads: 1,
    graphOptimizationLevel: "all",
    enableProfiling: true,
    profileFilePrefix: path.join(dir, "profile"),
  });
  const x = new Float32Array(1024 * 784).map((_, i) => (i % 97) / 97);
  for (let i = 0; i < RUNS; i++) await session.run({ [model.inputName]: new ort.Tensor("float32", x, [1024, 784]) });
  session.endProfiling();
  await session.release();
  const file = path.join(dir, readdirSync(dir)[0]);
  const events = JSON.parse(readFileSync(file, "utf8")) as { cat: string; name: string; dur: number; args: { op_name?: string } }[];
  const kernels = events.filter((e) => e.cat === "Node" && e.name.endsWith("_kernel_time"));
  const total = kernels.reduce((s, e) => s + e.dur, 0);
  const byOp = new Map<string, number>();
  for (const e of kernels) byOp.set(e.args.op_name ?? "?", (byOp.get(e.args.op_name ?? "?") ?? 0) + e.dur);
  console.log(`gradient graph of logit 3, batch 1024, 1 thread: ${(total / RUNS / 1000).toFixed(1)} ms of kernels per run (${os.loadavg()[0].toFixed(1)} load)`);
  for (const [op, dur] of [...byOp].sort((a, b) => b[1] - a[1])) {
    console.log(`  ${op.padEnd(12)} ${(dur / RUNS / 1000).toFixed(2).padStart(7)} ms/run  ${((100 * dur) / total).toFixed(1).padStart(5)} %`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

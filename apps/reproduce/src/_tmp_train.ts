import * as tf from "@tensorflow/tfjs-core";
import { cnn1d, trainNetwork, type Network } from "@smoothhess/tfjs";
import { syntheticSpirometry, splitDataset } from "@smoothhess/datasets";
import { useWasmConvTraining } from "./wasm-conv-training.js";
const kernel = Number(process.argv[2] ?? 31);
const ntrain = Number(process.argv[3] ?? 2000);
const epochs = Number(process.argv[4] ?? 4);
const lr = Number(process.argv[5] ?? 1e-3);
const batch = Number(process.argv[6] ?? 32);
const dropout = Number(process.argv[7] ?? 0.5);
await useWasmConvTraining();
const { dataset } = syntheticSpirometry({ n: 8721, seed: 0 });
const { train, test } = splitDataset(dataset, { train: 6977, test: 1744 }, { seed: 0 });
function mse(net: Network, x: Float32Array, y: Float32Array, n: number) {
  let s = 0;
  for (let i = 0; i < n; i += 256) { const m = Math.min(256, n - i); s += tf.tidy(() => tf.sum(tf.square(tf.sub(net.forward(tf.tensor2d(x.subarray(i * 300, (i + m) * 300), [m, 300]), {}).output, tf.tensor2d(y.subarray(i, i + m), [m, 1])))).dataSync()[0]); }
  return s / n;
}
const yv = test.y as Float32Array; let mean = 0; for (const v of train.y as Float32Array) mean += v / train.n; let v0 = 0; for (const v of yv) v0 += (v - mean) ** 2 / yv.length;
console.log(`baseline (predict train mean) test MSE ${v0.toFixed(4)}`);
const net = cnn1d({ seed: 0, kernel, dropout });
const t = performance.now();
await trainNetwork(net, { x: train.x.subarray(0, ntrain * 300), y: (train.y as Float32Array).subarray(0, ntrain), n: ntrain }, { loss: "mse", epochs, batchSize: batch, seed: 0, optimizer: { kind: "rmsprop", learningRate: lr }, schedule: { kind: "step", milestones: [Math.round(0.6 * epochs * ntrain / batch), Math.round(0.85 * epochs * ntrain / batch)], factor: 0.1 },
  onEpoch: ({ epoch, loss }) => console.log(`k${kernel} epoch ${epoch} train loss ${loss.toFixed(4)} test MSE ${mse(net, test.x, yv, 512).toFixed(4)} ${((performance.now() - t) / 1000).toFixed(0)} s`) });

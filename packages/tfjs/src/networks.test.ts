import * as tf from "@tensorflow/tfjs-core";
import { DimensionMismatchError, InvalidArgumentError } from "@smoothhess/errors";
import { mkdtemp, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useBackend } from "./backend.js";
import { cnn1d } from "./cnn1d.js";
import { mlp } from "./mlp.js";
import { ModelFileError } from "./model-file-error.js";
import type { Network } from "./network.js";
import { loadNetwork, saveNetwork } from "./network-io.js";
import {
  MNIST_MLP_SIZES,
  TOY_MLP_SIZES,
  networkFromConfig,
  paperMnistMlp,
  paperResNet18,
  paperSpirometryCnn,
  paperToyMlp,
} from "./paper-models.js";
import { resnet18 } from "./resnet18.js";
import { randomPoints, snapshot } from "./test-helpers.js";

let dir: string;
beforeAll(async () => {
  await useBackend("wasm");
  dir = await mkdtemp(join(tmpdir(), "smoothhess-net-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const parameterCount = (net: Network) => [...net.weights.values()].reduce((s, v) => s + v.size, 0);

function outputs(net: Network, x: Float32Array, n: number, activation?: { name: "relu" | "softplus" | "swish" | "gelu"; beta?: number }): Float32Array {
  const out = tf.tidy(() => net.forward(tf.tensor2d(x, [n, net.inputSize]), { activation }).output);
  const v = Float32Array.from(out.dataSync());
  out.dispose();
  return v;
}

describe("paper architectures (App. E)", () => {
  it("MNIST MLP 784-500-300-250-250-250-10 and the 2-D toy MLP", () => {
    const net = paperMnistMlp(0);
    expect(net.inputSize).toBe(784);
    expect(net.outputSize).toBe(10);
    expect(net.layerSizes).toEqual([500, 300, 250, 250, 250]);
    // Σ (in·out + out) over the six dense layers
    const expected = MNIST_MLP_SIZES.slice(1).reduce((s, out, i) => s + MNIST_MLP_SIZES[i] * out + out, 0);
    expect(parameterCount(net)).toBe(expected);
    expect(parameterCount(net)).toBe(746_060);
    net.dispose();
    const toy = paperToyMlp(0);
    expect(toy.inputSize).toBe(2);
    expect(toy.outputSize).toBe(1);
    expect(toy.layerSizes.length).toBe(TOY_MLP_SIZES.length - 2);
    toy.dispose();
  });

  it("ResNet-18 for 32×32×3 has the CIFAR ResNet-18's 11,173,962 parameters and 17 activation sites", () => {
    const net = paperResNet18(0);
    expect(parameterCount(net)).toBe(11_173_962);
    expect(net.inputShape).toEqual([32, 32, 3]);
    expect(net.layerSizes.length).toBe(17);
    expect(net.layerSizes[0]).toBe(32 * 32 * 64);
    expect(net.layerSizes[16]).toBe(4 * 4 * 512);
    // batch-norm running statistics are buffers, not weights: 2 per BN layer (20 BN layers)
    expect(net.buffers.size).toBe(40);
    net.dispose();
  });

  it("spirometry CNN: 300 samples, 10 blocks of width-200 convolutions with 20 channels", () => {
    const net = paperSpirometryCnn(0);
    expect(net.inputSize).toBe(300);
    expect(net.outputSize).toBe(1);
    expect(net.layerSizes).toEqual(new Array(10).fill(300 * 20));
    expect(net.weights.get("block0/conv")!.shape).toEqual([200, 1, 20]);
    expect(net.weights.get("block9/conv")!.shape).toEqual([200, 20, 20]);
    const x = randomPoints(1, 2, 300, 0, 1);
    const y = outputs(net, x, 2);
    expect(y.length).toBe(2);
    expect(y.every(Number.isFinite)).toBe(true);
    net.dispose();
  });

  it("the same seed gives the same weights, another seed different ones", () => {
    const a = mlp({ sizes: [5, 4, 3], seed: 7 });
    const b = mlp({ sizes: [5, 4, 3], seed: 7 });
    const c = mlp({ sizes: [5, 4, 3], seed: 8 });
    expect(Array.from(snapshot(a).get("dense0/kernel")!)).toEqual(Array.from(snapshot(b).get("dense0/kernel")!));
    expect(Array.from(snapshot(a).get("dense0/kernel")!)).not.toEqual(Array.from(snapshot(c).get("dense0/kernel")!));
    for (const n of [a, b, c]) n.dispose();
  });
});

describe("forward pass", () => {
  it("an MLP computes W₂ φ(W₁x + b₁) + b₂ for every activation (host float64 reference)", () => {
    const net = mlp({ sizes: [3, 4, 2], seed: 3 });
    tf.tidy(() => {
      net.weights.get("dense0/bias")!.assign(tf.tensor1d([0.1, -0.2, 0.3, 0]));
      net.weights.get("dense1/bias")!.assign(tf.tensor1d([0.5, -0.5]));
    });
    const W1 = net.weights.get("dense0/kernel")!.dataSync();
    const b1 = net.weights.get("dense0/bias")!.dataSync();
    const W2 = net.weights.get("dense1/kernel")!.dataSync();
    const b2 = net.weights.get("dense1/bias")!.dataSync();
    const sigmoid = (t: number) => 1 / (1 + Math.exp(-t));
    const Phi = (t: number) => {
      // Abramowitz–Stegun 7.1.26 erf, |error| < 1.5e-7
      const s = Math.sign(t), u = Math.abs(t) / Math.SQRT2, k = 1 / (1 + 0.3275911 * u);
      const erf = 1 - (((((1.061405429 * k - 1.453152027) * k + 1.421413741) * k - 0.284496736) * k + 0.254829592) * k) * Math.exp(-u * u);
      return 0.5 * (1 + s * erf);
    };
    const acts = {
      relu: (t: number) => Math.max(0, t),
      softplus: (t: number) => Math.log1p(Math.exp(4 * t)) / 4,
      swish: (t: number) => t * sigmoid(4 * t),
      gelu: (t: number) => t * Phi(t),
    };
    const x = randomPoints(5, 6, 3);
    for (const [name, phi] of Object.entries(acts)) {
      const got = outputs(net, x, 6, { name: name as "relu", beta: 4 });
      for (let i = 0; i < 6; i++) {
        const h = [0, 1, 2, 3].map((u) => phi(x[3 * i] * W1[u] + x[3 * i + 1] * W1[4 + u] + x[3 * i + 2] * W1[8 + u] + b1[u]));
        for (let o = 0; o < 2; o++) {
          const want = h.reduce((s, hu, u) => s + hu * W2[2 * u + o], b2[o]);
          expect(got[2 * i + o], `${name} row ${i} out ${o}`).toBeCloseTo(want, 5);
        }
      }
    }
    net.dispose();
  });

  it("SoftPlus_β and Swish_β approach ReLU as β grows (same weights, another activation)", () => {
    const net = resnet18({ inputShape: [6, 6, 3], width: 4, blocks: [1, 1, 1, 1], classes: 3, seed: 4 });
    const x = randomPoints(2, 4, net.inputSize, 0, 1);
    const relu = outputs(net, x, 4);
    const gap = (beta: number, name: "softplus" | "swish") => Math.max(...outputs(net, x, 4, { name, beta }).map((v, i) => Math.abs(v - relu[i])));
    expect(gap(1000, "softplus")).toBeLessThan(gap(10, "softplus"));
    expect(gap(1000, "softplus")).toBeLessThan(0.05);
    expect(gap(1000, "swish")).toBeLessThan(gap(10, "swish"));
    net.dispose();
  });

  it("captures one pre-activation per hidden layer; inference mode leaves batch-norm statistics alone", () => {
    const net = cnn1d({ length: 12, blocks: 3, channels: 2, kernel: 3, dropout: 0.5 });
    const before = snapshot(net);
    const x = tf.tensor2d(randomPoints(3, 5, 12), [5, 12]);
    const { preActivations, stateUpdates, output } = net.forward(x, { capture: true });
    expect(preActivations.map((p) => p.shape)).toEqual([[5, 24], [5, 24], [5, 24]]);
    expect(stateUpdates).toEqual([]);
    const train = net.forward(x, { training: true, dropoutSeed: 1 });
    expect(train.stateUpdates.map(([name]) => name)).toContain("block2/bn/variance");
    const after = snapshot(net);
    for (const [k, v] of before) expect(Array.from(after.get(k)!)).toEqual(Array.from(v));
    tf.dispose([x, output, ...preActivations, train.output, ...train.stateUpdates.map(([, t]) => t)]);
    net.dispose();
  });

  it("builders reject bad sizes with typed errors", () => {
    expect(() => mlp({ sizes: [3] })).toThrowError(InvalidArgumentError);
    expect(() => mlp({ sizes: [3, 0, 1] })).toThrowError("options.sizes[1]: expected an integer ≥ 1, received 0");
    expect(() => resnet18({ width: 1.5 })).toThrowError(/options\.width/);
    expect(() => cnn1d({ dropout: 1 })).toThrowError(/options\.dropout/);
  });
});

describe("save and load", () => {
  it("networkFromConfig names a missing or misshapen weight with a typed error", () => {
    const kernel = tf.zeros([3, 2]);
    const wrong = tf.zeros([2, 3]);
    const bias = tf.zeros([2]);
    try {
      networkFromConfig("mlp", { sizes: [3, 2] }, new Map([["dense0/kernel", kernel]]));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as Error).message).toBe('tensors.get("dense0/bias"): expected a tensor, received none');
    }
    try {
      networkFromConfig("mlp", { sizes: [3, 2] }, new Map([["dense0/kernel", wrong], ["dense0/bias", bias]]));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DimensionMismatchError);
      expect((error as Error).message).toBe('tensors.get("dense0/kernel"): expected shape [3,2], received shape [2,3]');
    }
    for (const t of [kernel, wrong, bias]) t.dispose();
  });

  it("round-trips every architecture exactly (weights, buffers, outputs)", async () => {
    const nets = [
      mlp({ sizes: [4, 6, 2], seed: 1 }),
      resnet18({ inputShape: [6, 6, 2], width: 2, blocks: [1, 1, 1, 1], classes: 3, seed: 2 }),
      cnn1d({ length: 10, blocks: 2, channels: 3, kernel: 3, seed: 3 }),
    ];
    for (const [i, net] of nets.entries()) {
      // give the buffers non-trivial values, as after training
      for (const b of net.buffers.values()) tf.tidy(() => b.assign(tf.add(b, 0.25)));
      const path = join(dir, `net${i}`);
      await saveNetwork(net, path);
      await saveNetwork(net, path); // overwriting is atomic too
      const loaded = await loadNetwork(path);
      expect(loaded.architecture).toBe(net.architecture);
      expect(loaded.config).toEqual(net.config);
      const a = snapshot(net);
      const b = snapshot(loaded);
      expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
      for (const [k, v] of a) expect(Array.from(b.get(k)!), k).toEqual(Array.from(v));
      const x = randomPoints(i, 3, net.inputSize);
      expect(Array.from(outputs(loaded, x, 3))).toEqual(Array.from(outputs(net, x, 3)));
      net.dispose();
      loaded.dispose();
    }
  });

  it("reports missing, foreign and truncated directories with ModelFileError", async () => {
    await expect(loadNetwork(join(dir, "nothing-here"))).rejects.toBeInstanceOf(ModelFileError);
    const foreign = join(dir, "foreign");
    await mkdir(foreign);
    await writeFile(join(foreign, "model.json"), JSON.stringify({ format: "layers-model", modelTopology: {} }));
    await expect(loadNetwork(foreign)).rejects.toThrowError(/is not a smoothhess-tfjs file/);
    const net = mlp({ sizes: [2, 2] });
    const truncated = join(dir, "truncated");
    await saveNetwork(net, truncated);
    await writeFile(join(truncated, "weights.bin"), new Uint8Array(3));
    await expect(loadNetwork(truncated)).rejects.toThrowError(/weight file has 3 bytes/);
    net.dispose();
  });
});

import * as tf from "@tensorflow/tfjs-core";
import { DisposedError, InvalidArgumentError, SmoothHessError } from "@smoothhess/errors";
import { cnn1d, mlp, resnet18, useBackend, type Network } from "@smoothhess/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { betaSweep } from "../beta-sweep.js";
import { NoReluError } from "../no-relu-error.js";
import type { ModelActivation } from "../surrogate-activation.js";
import { relativeError } from "../test-support.js";
import { UnsupportedLayerError } from "../unsupported-layer-error.js";
import { activationOps } from "./activation-ops.js";
import { CompiledProgram, type LayerProgram } from "./layer-program.js";
import { networkProgram } from "./network-program.js";
import { randomizeBatchNorm, uniformPoint } from "./tfjs-test-support.js";
import { tfjsSurrogates } from "./tfjs-surrogates.js";

beforeAll(async () => {
  await useBackend("wasm");
});

const ACTIVATIONS: ModelActivation[] = [{ name: "relu" }, { name: "softplus", beta: 4 }, { name: "swish", beta: 2 }, { name: "gelu" }];

function networks(): Network[] {
  return [
    mlp({ sizes: [5, 7, 6, 3], seed: 1 }),
    cnn1d({ length: 6, blocks: 3, channels: 2, kernel: 3, dropout: 0, outputs: 2, seed: 2 }),
    resnet18({ inputShape: [4, 4, 1], width: 2, blocks: [2, 1, 1, 1], classes: 2, seed: 3 }),
  ];
}

describe("networkProgram", () => {
  it("reproduces network.forward — outputs and every hidden pre-activation — for every activation", () => {
    for (const network of networks()) {
      randomizeBatchNorm(network, 8);
      const owned = networkProgram(network);
      const program = new CompiledProgram(owned);
      expect(program.siteCount).toBe(network.layerSizes.length);
      const n = 3;
      const x = uniformPoint(4, n * network.inputSize, -1, 1);
      for (const activation of ACTIVATIONS) {
        const [ours, theirs] = tf.tidy(() => {
          const input = tf.tensor2d(x, [n, network.inputSize]);
          const ops = activationOps(activation, tf.scalar("beta" in activation ? activation.beta : 1));
          const pre: tf.Tensor[] = [];
          const out = program.run(input, { linear: false, site: (z, i) => ((pre[i] = tf.reshape(z, [n, -1])), ops.value(z)) });
          const r = network.forward(input, { activation, capture: true });
          return [
            [out, ...pre].map((t) => t.dataSync()),
            [r.output, ...r.preActivations].map((t) => t.dataSync()),
          ];
        });
        expect(ours.length).toBe(theirs.length);
        ours.forEach((values, i) => {
          expect(values.length).toBe(theirs[i].length);
          expect(relativeError(values, theirs[i]), `${network.architecture} ${activation.name} tensor ${i}`).toBeLessThan(1e-5);
        });
      }
      program.dispose();
      owned.dispose();
      network.dispose();
    }
  });

  it("takes snapshots: training the network afterwards does not change the program", () => {
    const network = mlp({ sizes: [3, 4, 2], seed: 1 });
    const owned = networkProgram(network);
    const kernel = network.weights.get("dense0/kernel") as tf.Variable;
    const before = (owned.layers[0] as { kernel: tf.Tensor }).kernel.dataSync().slice();
    kernel.assign(tf.zerosLike(kernel));
    expect([...(owned.layers[0] as { kernel: tf.Tensor }).kernel.dataSync()]).toEqual([...before]);
    owned.dispose();
    network.dispose();
  });
});

describe("errors", () => {
  it("an unsupported layer in a program is named", () => {
    const program = {
      inputSize: 4,
      layers: [
        { type: "dense", name: "fc1", kernel: tf.zeros([4, 4]) },
        { type: "activation", name: "act1" },
        { type: "maxPool", name: "pool1" },
      ],
    } as unknown as LayerProgram;
    let err: unknown;
    try {
      tfjsSurrogates(program);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UnsupportedLayerError);
    expect((err as UnsupportedLayerError).layer).toBe("pool1");
    expect((err as UnsupportedLayerError).code).toBe("unsupported-layer");
    expect((err as Error).message).toMatch(/^layer "pool1": layer type "maxPool" is not supported \(supported: dense, conv2d, conv1d, batchNorm, activation, reshape, mean, residual\)/);
    // nested, unnamed layers are named by their path
    const nested = { inputSize: 4, layers: [{ type: "residual", name: "block0", branch: [{ type: "dropout" }] }] } as unknown as LayerProgram;
    expect(() => tfjsSurrogates(nested)).toThrowError(/^layer "program\.layers\[0\]\.branch\[0\]": layer type "dropout"/);
  });

  it("an unknown architecture, and a weight no layer of the architecture uses, are named", () => {
    const network = mlp({ sizes: [3, 4, 2], seed: 1 });
    const vit = { ...network, architecture: "vit" } as unknown as Network;
    expect(() => tfjsSurrogates(vit)).toThrowError(UnsupportedLayerError);
    expect(() => tfjsSurrogates(vit)).toThrowError(/^layer "network\.architecture": architecture "vit" is not supported/);
    const extra = tf.variable(tf.zeros([2]));
    const patched = { ...network, weights: new Map([...network.weights, ["attention/query", extra]]) } as unknown as Network;
    let err: unknown;
    try {
      tfjsSurrogates(patched);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UnsupportedLayerError);
    expect((err as UnsupportedLayerError).layer).toBe("attention/query");
    extra.dispose();
    network.dispose();
  });

  it("a forward pass the program does not reproduce is refused", () => {
    const network = mlp({ sizes: [3, 4, 2], seed: 1 });
    const doubled = {
      ...network,
      forward: (x: tf.Tensor2D, o: never) => {
        const r = network.forward(x, o);
        return { ...r, output: tf.mul(r.output, 2) };
      },
    } as unknown as Network;
    expect(() => tfjsSurrogates(doubled)).toThrowError(/^layer "network\.forward": a forward pass that differs from the mlp program/);
    network.dispose();
  });

  it("a network with no ReLU to replace is refused", () => {
    const linear = mlp({ sizes: [3, 2], seed: 1 });
    expect(() => tfjsSurrogates(linear)).toThrowError(NoReluError);
    expect(() => tfjsSurrogates(linear)).toThrowError(
      "network: expected a network with at least one hidden ReLU to replace, received a network with no hidden layer",
    );
    expect(() => tfjsSurrogates({ inputSize: 3, layers: [{ type: "dense", name: "fc", kernel: tf.zeros([3, 2]) }] } as LayerProgram)).toThrowError(/^program: .*received a program with no activation layer/);
    linear.dispose();
  });

  it("β ≤ 0, bad options, bad batches and use after dispose", async () => {
    const network = mlp({ sizes: [3, 4, 2], seed: 1 });
    const net = tfjsSurrogates(network);
    expect(() => net.surrogate({ name: "softplus", beta: 0 })).toThrowError("activation.beta: expected a finite number > 0, received 0");
    expect(() => net.surrogate({ name: "swish", beta: -3 })).toThrowError(InvalidArgumentError);
    expect(() => tfjsSurrogates(network, { directionBatch: 0 })).toThrowError(/^options\.directionBatch/);
    const model = net.surrogate({ name: "gelu" });
    await expect(model.hessians(new Float32Array(4), 1, { output: 0 })).rejects.toThrowError(/^points: expected length 3/);
    await expect(model.hessians(new Float32Array(3), 1, { layer: 2, unit: 0 })).rejects.toThrowError(/^target\.layer: expected an integer in \[1, 1\]/);
    await expect(model.hessianVectorProducts([0, 0, 0], [1, 2], 1, { output: 0 })).rejects.toThrowError(/^directions: expected length 3/);
    net.dispose();
    let err: unknown;
    try {
      await model.hessians(new Float32Array(3), 1, { output: 0 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DisposedError);
    expect((err as SmoothHessError).code).toBe("disposed");
    expect((err as Error).message).toBe("this set of tfjs surrogates was used after dispose(); create a new one with tfjsSurrogates()");
    network.dispose();
  });
});

describe("β sweeps on tfjs", () => {
  it("evaluate each β without rebuilding: the same program, no tensors left behind, the same answer as a direct call", async () => {
    const network = mlp({ sizes: [4, 6, 3], seed: 2 });
    const net = tfjsSurrogates(network);
    const x0 = uniformPoint(5, 4);
    const program = net.program;
    await net.surrogate({ name: "softplus", beta: 1 }).hessians(x0, 1, { output: 0 }); // warm-up
    const before = tf.memory().numTensors;
    const betas = [0.5, 3, 30];
    let i = 0;
    for await (const step of betaSweep(net, x0, { output: 0 }, { betas })) {
      expect(step.beta).toBe(betas[i++]);
      const direct = await net.surrogate({ name: "softplus", beta: step.beta }).hessians(x0, 1, { output: 0 });
      expect([...step.hessian]).toEqual([...direct.hessians]);
      expect(net.program).toBe(program);
      expect(tf.memory().numTensors).toBe(before);
    }
    net.dispose();
    network.dispose();
  });
});

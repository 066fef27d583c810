import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useBackend } from "./backend.js";
import { mlp } from "./mlp.js";
import { ModelFileError } from "./model-file-error.js";
import type { Network } from "./network.js";
import { loadNetwork, networkWeightsSha256, saveNetwork } from "./network-io.js";
import { randomPoints, snapshot } from "./test-helpers.js";
import { trainNetwork, type TrainOptions } from "./train.js";

let dir: string;
beforeAll(async () => {
  await useBackend("wasm");
  dir = await mkdtemp(join(tmpdir(), "smoothhess-io-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const flat = (net: Network) => [...snapshot(net).values()].flatMap((v) => Array.from(v));

/** Flip every bit of `count` bytes in the middle of a file, keeping its length. */
async function flipBytes(path: string, count = 4): Promise<void> {
  const bytes = await readFile(path);
  const middle = Math.floor(bytes.length / 2);
  for (let i = middle; i < middle + count; i++) bytes[i] ^= 0xff;
  await writeFile(path, bytes);
}

describe("saveNetwork under concurrent writers", () => {
  it("8 simultaneous saves to one directory: none fails, nothing is left beside it, one complete model remains", async () => {
    const nets = Array.from({ length: 8 }, (_, i) => mlp({ sizes: [6, 16, 3], seed: 100 + i }));
    const target = join(dir, "shared", "model");
    for (let round = 0; round < 2; round++) {
      const outcomes = await Promise.allSettled(nets.map((net) => saveNetwork(net, target)));
      expect(outcomes.filter((o) => o.status === "rejected")).toEqual([]);
    }
    expect((await readdir(join(dir, "shared"))).sort()).toEqual(["model"]); // no model.old-*, .tmp-* or .lock
    expect((await readdir(target)).sort()).toEqual(["model.json", "weights.bin"]);
    const loaded = await loadNetwork(target);
    const candidates = nets.map(flat);
    const weights = flat(loaded);
    expect(candidates.some((c) => c.every((v, i) => v === weights[i]))).toBe(true);
    for (const net of [...nets, loaded]) net.dispose();
  });

  it("4 trainNetwork calls sharing one checkpoint directory all finish with the weights of a solo run", async () => {
    const n = 64;
    const x = randomPoints(1, n, 4);
    const y = randomPoints(2, n, 1);
    const options: TrainOptions = { loss: "mse", epochs: 3, batchSize: 16, seed: 5, optimizer: { kind: "rmsprop", learningRate: 0.01 } };
    const make = () => mlp({ sizes: [4, 8, 1], seed: 9 });
    const solo = make();
    await trainNetwork(solo, { x, y, n }, options);
    const checkpointDir = join(dir, "training", "ckpt");
    const nets = Array.from({ length: 4 }, make);
    const outcomes = await Promise.allSettled(nets.map((net) => trainNetwork(net, { x, y, n }, { ...options, checkpointDir })));
    expect(outcomes.filter((o) => o.status === "rejected")).toEqual([]);
    for (const net of nets) expect(flat(net)).toEqual(flat(solo));
    expect(await readdir(join(dir, "training"))).toEqual(["ckpt"]);
    for (const net of [...nets, solo]) net.dispose();
  });
});

describe("saved directories are checked when read back", () => {
  const save = async (name: string) => {
    const net = mlp({ sizes: [3, 5, 2], seed: 1 });
    const target = join(dir, name);
    await saveNetwork(net, target);
    net.dispose();
    return target;
  };

  it("saveNetwork under a regular file is a ModelFileError naming the path", async () => {
    const file = join(dir, "a-file");
    await writeFile(file, "not a directory");
    const net = mlp({ sizes: [2, 2] });
    const error = await saveNetwork(net, join(file, "model")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFileError);
    expect((error as Error).message).toMatch(/a-file\/model: cannot be written: a path above it is a regular file/);
    await expect(saveNetwork(net, file)).rejects.toThrowError(/a-file: could not be written \(.*exists and is not a directory\)/);
    net.dispose();
  });

  it.each([
    ["truncated model.json", async (p: string) => writeFile(join(p, "model.json"), (await readFile(join(p, "model.json"), "utf8")).slice(0, 40)), /model\.json is not valid JSON/],
    ["empty model.json", (p: string) => writeFile(join(p, "model.json"), ""), /model\.json is not valid JSON/],
    ["model.json holding null", (p: string) => writeFile(join(p, "model.json"), "null"), /model\.json is not a smoothhess-tfjs file/],
    [
      "model.json, valid JSON with one number changed",
      async (p: string) => writeFile(join(p, "model.json"), (await readFile(join(p, "model.json"), "utf8")).replace('"sizes": [\n    3,', '"sizes": [\n    4,')),
      /model\.json does not match its checksum/,
    ],
    ["weights.bin with flipped bytes (same length)", (p: string) => flipBytes(join(p, "weights.bin")), /weights\.bin does not match its SHA-256/],
    ["no model.json", (p: string) => rm(join(p, "model.json")), /has no model\.json/],
    [
      "model.json claiming format version 1 (no checksums) while it has them",
      async (p: string) => writeFile(join(p, "model.json"), (await readFile(join(p, "model.json"), "utf8")).replace('"formatVersion": 2', '"formatVersion": 1').replace('"sizes": [\n    3,', '"sizes": [\n    4,')),
      /model\.json does not match its checksum/,
    ],
  ])("%s → ModelFileError naming the directory", async (name, corrupt, message) => {
    const target = await save(name.replace(/[^a-z]+/g, "-"));
    const before = await readFile(join(target, "model.json"), "utf8");
    await corrupt(target);
    if (name.includes("one number")) expect(await readFile(join(target, "model.json"), "utf8")).not.toBe(before);
    const error = await loadNetwork(target).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFileError);
    expect((error as ModelFileError).path).toBe(target);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message.split("\n")).toHaveLength(1);
  });

  it("a training checkpoint with flipped weight bytes is refused, not resumed", async () => {
    const n = 32;
    const data = { x: randomPoints(3, n, 3), y: randomPoints(4, n, 1), n };
    const options: TrainOptions = { loss: "mse", epochs: 1, batchSize: 8, seed: 2, optimizer: { kind: "sgd", learningRate: 0.1 }, checkpointDir: join(dir, "train-flip") };
    const net = mlp({ sizes: [3, 4, 1], seed: 2 });
    await trainNetwork(net, data, options);
    await flipBytes(join(dir, "train-flip", "weights.bin"));
    await expect(trainNetwork(net, data, { ...options, epochs: 2 })).rejects.toThrowError(/weights\.bin does not match its SHA-256/);
    net.dispose();
  });

  it("networkWeightsSha256 is the checksum saveNetwork writes, and changes with the weights", async () => {
    const a = mlp({ sizes: [3, 5, 2], seed: 1 });
    const b = mlp({ sizes: [3, 5, 2], seed: 2 });
    const target = join(dir, "fingerprint");
    await saveNetwork(a, target);
    const json = JSON.parse(await readFile(join(target, "model.json"), "utf8"));
    expect(await networkWeightsSha256(a)).toBe(json.weightsSha256);
    expect(await networkWeightsSha256(b)).not.toBe(json.weightsSha256);
    a.dispose();
    b.dispose();
  });
});

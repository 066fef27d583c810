import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { useBackend } from "@smoothhess/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authorsFixturesDirectory, loadAuthorsModel } from "./authors-model.js";
import { CorruptFileError } from "./corrupt-file-error.js";

let scratch: string;
beforeAll(async () => {
  await useBackend("wasm");
  scratch = await mkdtemp(join(tmpdir(), "authors-model-"));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe("loadAuthorsModel", () => {
  it.each(["mnist", "fmnist", "four-quadrant"] as const)("%s: the tfjs MLP reproduces PyTorch's outputs on the reference inputs", async (name) => {
    const model = await loadAuthorsModel(name);
    const reference = JSON.parse(await readFile(join(authorsFixturesDirectory(), `authors-${name}-mlp.reference.json`), "utf8")) as {
      inputs: number[];
      inputShape: number[];
      outputs: number[];
    };
    const tensorsBefore = tf.memory().numTensors;
    const out = tf.tidy(() => model.network.forward(tf.tensor2d(reference.inputs, [reference.inputShape[0], reference.inputShape[1]])).output);
    const values = out.dataSync();
    out.dispose();
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    const scale = Math.max(...reference.outputs.map(Math.abs));
    let worst = 0;
    reference.outputs.forEach((v, i) => (worst = Math.max(worst, Math.abs(values[i] - v))));
    expect(worst).toBeLessThan(1e-5 * scale); // float32 sums in another order than PyTorch's
    expect(model.network.layerSizes).toEqual(model.architecture.split("-").map(Number).slice(1, -1));
    model.network.dispose();
  });

  it("refuses a file whose SHA-256 is not the manifest's, naming it", async () => {
    const source = authorsFixturesDirectory();
    await copyFile(join(source, "manifest.json"), join(scratch, "manifest.json"));
    const bytes = await readFile(join(source, "authors-four-quadrant-mlp.onnx"));
    bytes[bytes.length - 5] ^= 1; // one bit of a weight
    await writeFile(join(scratch, "authors-four-quadrant-mlp.onnx"), bytes);
    const attempt = loadAuthorsModel("four-quadrant", scratch);
    await expect(attempt).rejects.toBeInstanceOf(CorruptFileError);
    await expect(loadAuthorsModel("four-quadrant", scratch)).rejects.toThrow(/authors-four-quadrant-mlp\.onnx: has SHA-256 .* the manifest records 643eab2927da/);
  });
});

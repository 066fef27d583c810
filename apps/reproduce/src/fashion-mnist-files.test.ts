import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { attackExperiment } from "./experiments/attack/experiment.js";
import { pmseExperiment } from "./experiments/pmse/experiment.js";
import { dataSourceText } from "./experiments/shared/setup-notes.js";
import type { RunOptions } from "./experiment.js";
import { fashionMnistDataSource, fashionMnistFolderFor, findFashionMnistFiles, isFashionMnistFilesSource } from "./fashion-mnist-files.js";
import { IMAGE_DATA_SOURCES, imageDatasetSplits } from "./image-classifier-task.js";
import { UsageError } from "./usage-error.js";

/** An IDX file of uint8 values: magic 0x0000080<rank>, big-endian dimensions, then the bytes. */
function idx(dims: readonly number[], fill: (i: number) => number): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(0x0800 + dims.length, 0);
  dims.forEach((d, k) => header.writeUInt32BE(d, 4 + 4 * k));
  const count = dims.reduce((a, b) => a * b, 1);
  const body = Buffer.alloc(count);
  for (let i = 0; i < count; i++) body[i] = fill(i);
  return Buffer.concat([header, body]);
}

/**
 * Stand-ins for the official files (60,000 + 10,000 images of 28×28, gzipped): training image i has label i mod 10
 * and first pixel i mod 251, test image j label (j + 3) mod 10, so the split's provenance can be read back.
 */
function writeFakeFashionMnist(folder: string, marker = 0): void {
  mkdirSync(folder, { recursive: true });
  const pixels = (n: number, first: (k: number) => number) => idx([n, 28, 28], (i) => (i % 784 === 0 ? first(i / 784) : 0));
  writeFileSync(join(folder, "train-images-idx3-ubyte.gz"), gzipSync(pixels(60_000, (k) => (k + marker) % 251)));
  writeFileSync(join(folder, "train-labels-idx1-ubyte.gz"), gzipSync(idx([60_000], (i) => i % 10)));
  writeFileSync(join(folder, "t10k-images-idx3-ubyte.gz"), gzipSync(pixels(10_000, () => 7)));
  writeFileSync(join(folder, "t10k-labels-idx1-ubyte.gz"), gzipSync(idx([10_000], (j) => (j + 3) % 10)));
}

const root = mkdtempSync(join(tmpdir(), "smoothhess-fmnist-files-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const options: RunOptions = { preset: "full", seed: 0, backend: "wasm", out: "unused", fresh: false, quiet: true, model: "authors" };

describe("official Fashion-MNIST files from --data-dir", () => {
  const withFiles = join(root, "data");
  writeFakeFashionMnist(join(withFiles, "fashion-mnist"));
  const other = join(root, "other");
  writeFakeFashionMnist(other, 1);

  it("are found in the directory or its fashion-mnist/ folder and named by content, not by path", () => {
    const found = findFashionMnistFiles(withFiles)!;
    expect(found.folder).toBe(join(withFiles, "fashion-mnist"));
    expect(findFashionMnistFiles(join(withFiles, "fashion-mnist"))!.sha256).toBe(found.sha256);
    expect(findFashionMnistFiles(other)!.sha256).not.toBe(found.sha256);
    expect(findFashionMnistFiles(root)).toBeUndefined();
    expect(isFashionMnistFilesSource(fashionMnistDataSource(found))).toBe(true);
    expect(isFashionMnistFilesSource(IMAGE_DATA_SOURCES.fmnist)).toBe(false);
  });

  it("replace the embedded Fashion-MNIST in the pmse and attack configurations (hash, no path); MNIST unchanged", () => {
    for (const experiment of [pmseExperiment, attackExperiment]) {
      const config = experiment.configure({ ...options, dataDir: withFiles });
      const plain = experiment.configure(options);
      expect(config.models.fmnist.data).toBe(fashionMnistDataSource(findFashionMnistFiles(withFiles)!));
      expect(config.models.mnist).toEqual(plain.models.mnist);
      expect(JSON.stringify(config)).not.toContain(root);
    }
  });

  it("are split as the paper's MNIST: the first 50,000 training images, the next 10,000, the official test set", async () => {
    const data = fashionMnistDataSource(findFashionMnistFiles(withFiles)!);
    const splits = await imageDatasetSplits("fmnist", data, 0, withFiles);
    expect([splits.train.n, splits.validation.n, splits.test.n]).toEqual([50_000, 10_000, 10_000]);
    expect([splits.train.x[0], splits.train.x[784 * 49_999]]).toEqual([0, ((49_999 % 251) / 255)].map(Math.fround));
    expect(splits.validation.x[0]).toBe(Math.fround((50_000 % 251) / 255));
    expect([splits.validation.y[0], splits.test.y[0], splits.test.x[0]]).toEqual([0, 3, Math.fround(7 / 255)]);
  });

  it("must be the configured ones when a run loads them", () => {
    const data = fashionMnistDataSource(findFashionMnistFiles(withFiles)!);
    expect(fashionMnistFolderFor(data, withFiles)).toBe(join(withFiles, "fashion-mnist"));
    expect(() => fashionMnistFolderFor(data, undefined)).toThrow(UsageError);
    expect(() => fashionMnistFolderFor(data, other)).toThrow(/holds other Fashion-MNIST files/);
  });

  it("a --data-dir with neither Fashion-MNIST nor CIFAR-10 is a one-line UsageError naming both", () => {
    const attempt = () => pmseExperiment.configure({ ...options, dataDir: root });
    expect(attempt).toThrow(UsageError);
    expect(attempt).toThrow(/holds neither the official Fashion-MNIST files .* nor CIFAR-10/);
  });

  it("the report's data note drops the training-image caveat for official files and asks for them otherwise", () => {
    const official = fashionMnistDataSource(findFashionMnistFiles(withFiles)!);
    expect(dataSourceText([{ dataset: "fmnist", data: official }], true)).not.toContain("likely training images");
    expect(dataSourceText([{ dataset: "fmnist", data: IMAGE_DATA_SOURCES.fmnist }], true)).toContain("Give the official FMNIST IDX files with --data-dir");
  });
});

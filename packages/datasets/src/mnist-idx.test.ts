import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FASHION_MNIST_CLASSES, MNIST_CLASSES } from "./class-names.js";
import { classCounts } from "./dataset.js";
import { DatasetFileError, DatasetFormatError } from "./dataset-file-error.js";
import { loadFashionMnistIdx, loadIdxPair, loadMnistIdx } from "./mnist-idx.js";
import { idxBytes, tempDir, writeBytes } from "./temp-dir.test-helper.js";

const root = await tempDir();

/** Pixel (r, c) of image i: a pattern that makes every image and position distinct. */
const pixel = (i: number, r: number, c: number) => (i * 31 + r * 28 + c) % 256;

function images(n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) for (let r = 0; r < 28; r++) for (let c = 0; c < 28; c++) out.push(pixel(i, r, c));
  return out;
}

async function writeDistribution(dir: string, nTrain: number, nTest: number, gzip: boolean, dotted = false) {
  await mkdir(dir, { recursive: true });
  const suffix = gzip ? ".gz" : "";
  const sep = dotted ? "." : "-";
  const trainLabels = Array.from({ length: nTrain }, (_, i) => i % 10);
  const testLabels = Array.from({ length: nTest }, (_, i) => (3 * i) % 10);
  await writeBytes(dir, `train-images${sep}idx3-ubyte${suffix}`, idxBytes(0x08, [nTrain, 28, 28], images(nTrain)), gzip);
  await writeBytes(dir, `train-labels${sep}idx1-ubyte${suffix}`, idxBytes(0x08, [nTrain], trainLabels), gzip);
  await writeBytes(dir, `t10k-images${sep}idx3-ubyte${suffix}`, idxBytes(0x08, [nTest, 28, 28], images(nTest)), gzip);
  await writeBytes(dir, `t10k-labels${sep}idx1-ubyte${suffix}`, idxBytes(0x08, [nTest], testLabels), gzip);
  return { trainLabels, testLabels };
}

describe("loadMnistIdx", () => {
  it("round-trips the official layout, gzipped, plain and with dotted names", async () => {
    for (const [name, gzip, dotted] of [["gz", true, false], ["plain", false, false], ["dotted", true, true]] as const) {
      const dir = join(root, name);
      const { trainLabels, testLabels } = await writeDistribution(dir, 20, 7, gzip, dotted);
      const { train, test } = await loadMnistIdx(dir);
      expect([train.n, train.d, test.n]).toEqual([20, 784, 7]);
      expect(train.shape).toEqual([28, 28, 1]);
      expect(train.classes).toEqual(MNIST_CLASSES);
      expect(Array.from(train.y)).toEqual(trainLabels);
      expect(Array.from(test.y)).toEqual(testLabels);
      expect(Array.from(classCounts(train))).toEqual([2, 2, 2, 2, 2, 2, 2, 2, 2, 2]);
      // pixel (r, c) of image i is feature i·784 + r·28 + c, scaled by 1/255
      for (const [i, r, c] of [[0, 0, 0], [3, 27, 1], [19, 13, 27]]) {
        expect(train.x[i * 784 + r * 28 + c]).toBe(Math.fround(pixel(i, r, c) / 255));
      }
      let lo = Infinity, hi = -Infinity;
      for (const v of train.x) (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
      expect(lo).toBe(0);
      expect(hi).toBe(1);
    }
  });

  it("gives Fashion-MNIST its class names", async () => {
    const { train } = await loadFashionMnistIdx(join(root, "gz"));
    expect(train.classes).toEqual(FASHION_MNIST_CLASSES);
    expect(train.classes![9]).toBe("Ankle boot");
  });

  it("names both files when the label count differs from the image count", async () => {
    const dir = join(root, "mismatch");
    await writeDistribution(dir, 5, 3, false);
    const labels = await writeBytes(dir, "train-labels-idx1-ubyte", idxBytes(0x08, [4], [0, 1, 2, 3]));
    const error = await loadMnistIdx(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetFormatError);
    expect((error as DatasetFormatError).file).toBe(labels);
    expect((error as Error).message).toBe(
      `${labels}: holds 4 labels but ${join(dir, "train-images-idx3-ubyte")} holds 5 images: the counts must match`,
    );
  });

  it("rejects labels outside the classes, truncated images and a wrong magic number", async () => {
    const dir = join(root, "bad");
    await writeDistribution(dir, 5, 3, false);
    const labels = await writeBytes(dir, "bad-labels", idxBytes(0x08, [5], [0, 1, 12, 3, 4]));
    await expect(loadIdxPair(join(dir, "train-images-idx3-ubyte"), labels)).rejects.toThrowError(
      `${labels}: label 2 is 12, expected a class index in [0, 9]`,
    );
    const full = idxBytes(0x08, [5, 28, 28], images(5));
    const truncated = await writeBytes(dir, "truncated.gz", full.subarray(0, full.length - 100), true);
    await expect(loadIdxPair(truncated, join(dir, "train-labels-idx1-ubyte"))).rejects.toThrowError(
      `${truncated}: is truncated: the header declares 5×28×28 uint8 values = 3920 data bytes, the file has 3820`,
    );
    const swapped = join(dir, "train-labels-idx1-ubyte");
    await expect(loadIdxPair(swapped, swapped)).rejects.toThrowError(
      `${swapped}: has magic number 0x00000801 (uint8, 1 dimensions), expected 0x00000803 (uint8, 3 dimensions)`,
    );
  });

  it("names the directory and the names tried when a file is missing", async () => {
    const dir = join(root, "incomplete");
    await mkdir(dir, { recursive: true });
    await writeBytes(dir, "train-images-idx3-ubyte.gz", idxBytes(0x08, [1, 28, 28], images(1)), true);
    const error = await loadMnistIdx(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetFileError);
    expect((error as DatasetFileError).file).toBe(dir);
    expect((error as Error).message).toBe(
      `${dir}: has none of the files train-labels-idx1-ubyte, train-labels.idx1-ubyte, train-labels-idx1-ubyte.gz, train-labels.idx1-ubyte.gz`,
    );
    await expect(loadMnistIdx(join(root, "absent"))).rejects.toThrowError(`${join(root, "absent")}: directory not found`);
  });
});

import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CIFAR10_RECORD_BYTES, loadCifar10, readCifar10Batches } from "./cifar10.js";
import { CIFAR10_CLASSES } from "./class-names.js";
import { DatasetFileError, DatasetFormatError } from "./dataset-file-error.js";
import { tempDir, writeBytes } from "./temp-dir.test-helper.js";

const root = await tempDir();

/** Channel k (0 red, 1 green, 2 blue) of pixel (r, c) of record i of batch b. */
const value = (b: number, i: number, k: number, r: number, c: number) => (b * 101 + i * 37 + k * 89 + r * 7 + c * 3) % 256;
const label = (b: number, i: number) => (b + 3 * i) % 10;

/** A batch file in the official layout: per record, label byte then the R, G, B planes row by row. */
function batch(b: number, records: number): Uint8Array {
  const out = new Uint8Array(records * CIFAR10_RECORD_BYTES);
  for (let i = 0; i < records; i++) {
    const at = i * CIFAR10_RECORD_BYTES;
    out[at] = label(b, i);
    for (let k = 0; k < 3; k++) for (let r = 0; r < 32; r++) for (let c = 0; c < 32; c++) out[at + 1 + k * 1024 + r * 32 + c] = value(b, i, k, r, c);
  }
  return out;
}

async function writeDistribution(dir: string, records: number[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (let b = 1; b <= 5; b++) await writeBytes(dir, `data_batch_${b}.bin`, batch(b, records[b - 1]));
  await writeBytes(dir, "test_batch.bin", batch(6, records[5]));
}

describe("loadCifar10", () => {
  it("round-trips the official binary layout, in HWC order by default", async () => {
    const dir = join(root, "extracted", "cifar-10-batches-bin");
    await writeDistribution(dir, [3, 2, 1, 2, 4, 5]);
    const { train, test } = await loadCifar10(join(root, "extracted")); // the parent folder works too
    expect([train.n, test.n, train.d]).toEqual([12, 5, 3072]);
    expect(train.shape).toEqual([32, 32, 3]);
    expect(train.classes).toEqual(CIFAR10_CLASSES);
    // rows follow batch order: batch 1 (3 records), batch 2 (2), …
    const origin = [[1, 0], [1, 1], [1, 2], [2, 0], [2, 1], [3, 0], [4, 0], [4, 1], [5, 0], [5, 1], [5, 2], [5, 3]];
    origin.forEach(([b, i], row) => {
      expect(train.y[row]).toBe(label(b, i));
      for (const [r, c, k] of [[0, 0, 0], [31, 31, 2], [5, 17, 1], [20, 3, 0]]) {
        expect(train.x[row * 3072 + (r * 32 + c) * 3 + k]).toBe(Math.fround(value(b, i, k, r, c) / 255));
      }
    });
    expect(Array.from(test.y)).toEqual([0, 1, 2, 3, 4].map((i) => label(6, i)));
  });

  it("keeps the files' channel planes with layout chw", async () => {
    const dir = join(root, "chw");
    await writeDistribution(dir, [1, 1, 1, 1, 1, 2]);
    const { test } = await loadCifar10(dir, { layout: "chw" });
    expect(test.shape).toEqual([3, 32, 32]);
    for (const [r, c, k] of [[0, 0, 0], [31, 31, 2], [5, 17, 1]]) {
      expect(test.x[3072 + k * 1024 + r * 32 + c]).toBe(Math.fround(value(6, 1, k, r, c) / 255));
    }
    await expect(loadCifar10(dir, { layout: "nhwc" as never })).rejects.toThrowError(
      'options.layout: expected "hwc" or "chw", received "nhwc"',
    );
  });

  it("reads records that straddle stream chunks", async () => {
    const file = await writeBytes(root, "big.bin", batch(7, 700)); // 2.15 MB: 3 chunks of 1 MiB
    const ds = await readCifar10Batches([file], { layout: "chw" });
    expect(ds.n).toBe(700);
    for (const i of [0, 341, 342, 699]) {
      expect(ds.y[i]).toBe(label(7, i));
      expect(ds.x[i * 3072 + 2 * 1024 + 31 * 32 + 30]).toBe(Math.fround(value(7, i, 2, 31, 30) / 255));
    }
  });

  it("rejects truncated files, labels over 9 and gzipped batches, naming the file", async () => {
    const good = batch(1, 3);
    const truncated = await writeBytes(root, "truncated.bin", good.subarray(0, good.length - 10));
    const error = await readCifar10Batches([truncated]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetFormatError);
    expect((error as DatasetFormatError).file).toBe(truncated);
    expect((error as Error).message).toBe(
      `${truncated}: is truncated or padded: 9209 bytes is not a whole number of 3073-byte records (2 records and 3063 bytes)`,
    );
    const badLabel = good.slice();
    badLabel[CIFAR10_RECORD_BYTES] = 10;
    const bad = await writeBytes(root, "bad-label.bin", badLabel);
    await expect(readCifar10Batches([bad])).rejects.toThrowError(`${bad}: record 1 has label 10, expected 0–9`);
    const gz = await writeBytes(root, "batch.bin.gz", good, true);
    await expect(readCifar10Batches([gz])).rejects.toThrowError(DatasetFormatError);
    await expect(readCifar10Batches([gz])).rejects.toThrowError(`${gz}: is gzip-compressed`);
  });

  it("names the directory when a batch is missing", async () => {
    const dir = join(root, "partial");
    await writeDistribution(dir, [1, 1, 1, 1, 1, 1]);
    const { rm } = await import("node:fs/promises");
    await rm(join(dir, "data_batch_4.bin"));
    const error = await loadCifar10(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetFileError);
    expect((error as Error).message).toBe(`${dir}: has none of the files data_batch_4.bin`);
  });
});

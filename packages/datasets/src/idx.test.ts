import { describe, expect, it } from "vitest";
import { DatasetFileError, DatasetFormatError } from "./dataset-file-error.js";
import { readIdx } from "./idx.js";
import { idxBytes, tempDir, writeBytes } from "./temp-dir.test-helper.js";

const dir = await tempDir();

async function formatError(promise: Promise<unknown>): Promise<DatasetFormatError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DatasetFormatError);
  return error as DatasetFormatError;
}

describe("readIdx", () => {
  const images = Array.from({ length: 2 * 3 * 4 }, (_, i) => (i * 37) % 256);

  it("round-trips a uint8 image file, plain and gzipped", async () => {
    const bytes = idxBytes(0x08, [2, 3, 4], images);
    for (const [name, gzip] of [["a-idx3-ubyte", false], ["a-idx3-ubyte.gz", true], ["no-extension", true]] as const) {
      const file = await writeBytes(dir, name, bytes, gzip);
      const idx = await readIdx(file, { type: "uint8", rank: 3 });
      expect(idx.type).toBe("uint8");
      expect(idx.dims).toEqual([2, 3, 4]);
      expect(idx.data).toBeInstanceOf(Uint8Array);
      expect(Array.from(idx.data)).toEqual(images);
    }
  });

  it("decodes big-endian multi-byte types", async () => {
    const cases: [number, string, number[], ArrayConstructor | Function][] = [
      [0x09, "int8", [-128, -1, 0, 127], Int8Array],
      [0x0b, "int16", [-32768, -2, 258, 32767], Int16Array],
      [0x0c, "int32", [-2147483648, -70000, 1, 2147483647], Int32Array],
      [0x0d, "float32", [-1.5, 0.25, 3 + 2 ** -22, Math.fround(1e30)], Float32Array],
      [0x0e, "float64", [-1.5, Math.PI, 1e-300, 1e300], Float64Array],
    ];
    for (const [code, type, values, ctor] of cases) {
      const file = await writeBytes(dir, `t-${type}`, idxBytes(code, [2, 2], values));
      const idx = await readIdx(file);
      expect(idx.type).toBe(type);
      expect(idx.dims).toEqual([2, 2]);
      expect(idx.data).toBeInstanceOf(ctor);
      expect(Array.from(idx.data)).toEqual(values);
    }
  });

  it("reads files larger than one stream chunk", async () => {
    const n = 3_000_000; // 3 MB: several 1 MiB chunks, header split from nothing
    const values = Array.from({ length: n }, (_, i) => (i * 7) % 251);
    const file = await writeBytes(dir, "big", idxBytes(0x08, [n], values), true);
    const idx = await readIdx(file, { type: "uint8", rank: 1 });
    expect(idx.data.length).toBe(n);
    expect(idx.data[n - 1]).toBe(((n - 1) * 7) % 251);
    expect(idx.data[1_234_567]).toBe((1_234_567 * 7) % 251);
  });

  it("rejects a wrong magic number, naming the file and both numbers", async () => {
    const bytes = idxBytes(0x08, [2, 3, 4], images);
    bytes[0] = 0x12;
    const file = await writeBytes(dir, "bad-magic", bytes);
    const error = await formatError(readIdx(file, { type: "uint8", rank: 3 }));
    expect(error.file).toBe(file);
    expect(error.code).toBe("dataset-format");
    expect(error.message).toBe(
      `${file}: is not an IDX file: wrong magic number 0x12000803, expected 0x00000803 (uint8, 3 dimensions)`,
    );
    const labels = await writeBytes(dir, "labels-as-images", idxBytes(0x08, [3], [1, 2, 3]));
    expect((await formatError(readIdx(labels, { type: "uint8", rank: 3 }))).message).toBe(
      `${labels}: has magic number 0x00000801 (uint8, 1 dimensions), expected 0x00000803 (uint8, 3 dimensions)`,
    );
    const unknownType = idxBytes(0x08, [1], [0]);
    unknownType[2] = 0x0a;
    const f3 = await writeBytes(dir, "unknown-type", unknownType);
    expect((await formatError(readIdx(f3))).problem).toContain("wrong magic number 0x00000a01");
  });

  it("rejects truncated headers and data, and trailing bytes", async () => {
    const bytes = idxBytes(0x08, [2, 3, 4], images);
    const shortData = await writeBytes(dir, "short-data.gz", bytes.subarray(0, bytes.length - 5), true);
    expect((await formatError(readIdx(shortData))).message).toBe(
      `${shortData}: is truncated: the header declares 2×3×4 uint8 values = 24 data bytes, the file has 19`,
    );
    const shortHeader = await writeBytes(dir, "short-header", bytes.subarray(0, 9));
    expect((await formatError(readIdx(shortHeader))).problem).toBe("is truncated: the header needs 16 bytes, the file has 9");
    const empty = await writeBytes(dir, "empty", new Uint8Array(0));
    expect((await formatError(readIdx(empty))).problem).toBe("is truncated: the header needs 4 bytes, the file has 0");
    const long = new Uint8Array(bytes.length + 3);
    long.set(bytes);
    const trailing = await writeBytes(dir, "trailing", long);
    expect((await formatError(readIdx(trailing))).problem).toBe(
      "has 3 bytes after the 24 data bytes its header (2×3×4 uint8) declares",
    );
  });

  it("reports corrupt gzip data and missing files", async () => {
    const gz = await writeBytes(dir, "corrupt.gz", idxBytes(0x08, [2, 3, 4], images), true);
    const { readFile, writeFile } = await import("node:fs/promises");
    const raw = await readFile(gz);
    await writeFile(gz, raw.subarray(0, raw.length - 12)); // cut the end of the deflate stream and the trailer
    const error = await formatError(readIdx(gz));
    expect(error.problem).toMatch(/^is not a valid gzip stream/);
    const missing = `${dir}/nope`;
    await expect(readIdx(missing)).rejects.toThrowError(new DatasetFileError(missing, "not found"));
    await expect(readIdx(missing)).rejects.not.toBeInstanceOf(DatasetFormatError);
    await expect(readIdx(dir)).rejects.toThrowError(`${dir}: is not a regular file`);
  });
});

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll } from "vitest";

/** Test helper: a fresh temporary directory, removed after the test file's tests. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "smoothhess-datasets-"));
  afterAll(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Test helper: write `bytes` to `dir/name`, gzipped when `gzip`; returns the path. */
export async function writeBytes(dir: string, name: string, bytes: Uint8Array, gzip = false): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, gzip ? gzipSync(bytes) : bytes);
  return path;
}

/**
 * Test helper: the bytes of an IDX file written from the format description (magic 0x0000<type><rank>,
 * big-endian uint32 dimensions, big-endian values), independently of the reader.
 */
export function idxBytes(typeCode: number, dims: number[], values: number[]): Uint8Array {
  const size = { 0x08: 1, 0x09: 1, 0x0b: 2, 0x0c: 4, 0x0d: 4, 0x0e: 8 }[typeCode] ?? 1;
  const out = new Uint8Array(4 + 4 * dims.length + size * values.length);
  const view = new DataView(out.buffer);
  out[2] = typeCode;
  out[3] = dims.length;
  dims.forEach((d, k) => view.setUint32(4 + 4 * k, d, false));
  const at = 4 + 4 * dims.length;
  values.forEach((v, i) => {
    const p = at + size * i;
    if (typeCode === 0x08) view.setUint8(p, v);
    else if (typeCode === 0x09) view.setInt8(p, v);
    else if (typeCode === 0x0b) view.setInt16(p, v, false);
    else if (typeCode === 0x0c) view.setInt32(p, v, false);
    else if (typeCode === 0x0d) view.setFloat32(p, v, false);
    else view.setFloat64(p, v, false);
  });
  return out;
}

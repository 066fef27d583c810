import { DatasetFormatError } from "./dataset-file-error.js";
import { openChunks } from "./file-chunks.js";

/** Element types of the IDX format, by their type byte (third byte of the magic number). */
const IDX_TYPES = {
  0x08: { name: "uint8", bytes: 1 },
  0x09: { name: "int8", bytes: 1 },
  0x0b: { name: "int16", bytes: 2 },
  0x0c: { name: "int32", bytes: 4 },
  0x0d: { name: "float32", bytes: 4 },
  0x0e: { name: "float64", bytes: 8 },
} as const;

/** The element type of an IDX file. */
export type IdxType = (typeof IDX_TYPES)[keyof typeof IDX_TYPES]["name"];

/** The contents of an IDX file: its element type, its dimensions and its values in row-major order. */
export interface IdxArray {
  /** Element type, from the magic number. */
  readonly type: IdxType;
  /** Dimensions, e.g. `[60000, 28, 28]` for MNIST training images. */
  readonly dims: readonly number[];
  /** All values, row-major, in the typed array matching `type` (big-endian on disk, native here). */
  readonly data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

/** What a caller requires of an IDX file; checked against the header before the data is read. */
export interface IdxExpectation {
  /** Required element type. */
  type?: IdxType;
  /** Required number of dimensions. */
  rank?: number;
}

/**
 * Read an IDX file (the format of the MNIST and Fashion-MNIST distributions), gzip-compressed or not — the
 * compression is detected from the first bytes, not the name. The file is streamed once; the data is
 * copied into a buffer allocated from the header's dimensions.
 *
 * Format: magic number `0x00 0x00 <type> <rank>`, then `rank` big-endian uint32 dimensions, then the values,
 * big-endian, row-major.
 *
 * @param file - path of the file.
 * @param expect - element type and rank the caller requires (checked against the magic number).
 * @throws {@link DatasetFileError} when the file cannot be opened;
 *   {@link DatasetFormatError} naming the file for a wrong magic number, an unknown type, a type or rank other
 *   than expected, a truncated header or data, or bytes after the data.
 */
export async function readIdx(file: string, expect: IdxExpectation = {}): Promise<IdxArray> {
  const { chunks } = await openChunks(file);
  let header: Uint8Array | undefined = new Uint8Array(4);
  let headerFilled = 0;
  let headerLength = 4;
  let type: (typeof IDX_TYPES)[keyof typeof IDX_TYPES] | undefined;
  let dims: number[] = [];
  let bytes: Uint8Array | undefined;
  let filled = 0;
  let extra = 0;
  for await (const chunk of chunks) {
    let at = 0;
    while (header !== undefined && at < chunk.length) {
      const take = Math.min(headerLength - headerFilled, chunk.length - at);
      header.set(chunk.subarray(at, at + take), headerFilled);
      headerFilled += take;
      at += take;
      if (headerFilled < headerLength) break;
      if (headerLength === 4) {
        const parsed = parseMagic(file, header, expect);
        type = parsed.type;
        headerLength = 4 + 4 * parsed.rank;
        const grown = new Uint8Array(headerLength);
        grown.set(header);
        header = grown;
        if (parsed.rank > 0) continue;
      }
      dims = readDims(header);
      bytes = allocate(file, dims, type!.bytes);
      header = undefined;
    }
    if (bytes !== undefined && at < chunk.length) {
      const take = Math.min(bytes.length - filled, chunk.length - at);
      bytes.set(chunk.subarray(at, at + take), filled);
      filled += take;
      extra += chunk.length - at - take;
    }
  }
  if (header !== undefined) {
    throw new DatasetFormatError(file, `is truncated: the header needs ${headerLength} bytes, the file has ${headerFilled}`);
  }
  if (filled < bytes!.length) {
    throw new DatasetFormatError(
      file,
      `is truncated: the header declares ${dims.join("×")} ${type!.name} values = ${bytes!.length} data bytes, ` +
        `the file has ${filled}`,
    );
  }
  if (extra > 0) {
    throw new DatasetFormatError(
      file,
      `has ${extra} bytes after the ${bytes!.length} data bytes its header (${dims.join("×")} ${type!.name}) declares`,
    );
  }
  return { type: type!.name, dims, data: decode(bytes!, type!.name) };
}

function parseMagic(file: string, magic: Uint8Array, expect: IdxExpectation) {
  const hex = `0x${Array.from(magic, (b) => b.toString(16).padStart(2, "0")).join("")}`;
  const type = IDX_TYPES[magic[2] as keyof typeof IDX_TYPES];
  const rank = magic[3];
  const wanted = describeMagic(expect);
  if (magic[0] !== 0 || magic[1] !== 0 || type === undefined) {
    const gzipNote = magic[0] === 0x1f && magic[1] === 0x8b ? " (gzip inside gzip?)" : "";
    throw new DatasetFormatError(file, `is not an IDX file: wrong magic number ${hex}${gzipNote}, expected ${wanted}`);
  }
  if ((expect.type !== undefined && type.name !== expect.type) || (expect.rank !== undefined && rank !== expect.rank)) {
    throw new DatasetFormatError(
      file,
      `has magic number ${hex} (${type.name}, ${rank} dimensions), expected ${wanted}`,
    );
  }
  return { type, rank };
}

function describeMagic(expect: IdxExpectation): string {
  const code = Object.entries(IDX_TYPES).find(([, t]) => t.name === expect.type)?.[0];
  if (code !== undefined && expect.rank !== undefined) {
    const hex = `0x0000${Number(code).toString(16).padStart(2, "0")}${expect.rank.toString(16).padStart(2, "0")}`;
    return `${hex} (${expect.type}, ${expect.rank} dimensions)`;
  }
  return "0x0000<type><rank> with type 08, 09, 0B, 0C, 0D or 0E";
}

function readDims(header: Uint8Array): number[] {
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  const dims: number[] = [];
  for (let k = 4; k < header.length; k += 4) dims.push(view.getUint32(k, false));
  return dims;
}

function allocate(file: string, dims: number[], elementBytes: number): Uint8Array {
  const total = dims.reduce((p, v) => p * v, 1) * elementBytes;
  try {
    return new Uint8Array(total);
  } catch (error) {
    throw new DatasetFormatError(file, `declares ${dims.join("×")} values (${total} bytes), which cannot be allocated`, {
      cause: error,
    });
  }
}

function decode(bytes: Uint8Array, type: IdxType): IdxArray["data"] {
  if (type === "uint8") return bytes;
  if (type === "int8") return new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (type) {
    case "int16":
      return Int16Array.from({ length: bytes.length / 2 }, (_, i) => view.getInt16(2 * i, false));
    case "int32":
      return Int32Array.from({ length: bytes.length / 4 }, (_, i) => view.getInt32(4 * i, false));
    case "float32":
      return Float32Array.from({ length: bytes.length / 4 }, (_, i) => view.getFloat32(4 * i, false));
    default:
      return Float64Array.from({ length: bytes.length / 8 }, (_, i) => view.getFloat64(8 * i, false));
  }
}

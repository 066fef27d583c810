import { open } from "node:fs/promises";
import { Readable, pipeline } from "node:stream";
import { createGunzip } from "node:zlib";
import { DatasetFileError, DatasetFormatError } from "./dataset-file-error.js";

/** The two bytes every gzip stream starts with. */
const GZIP_MAGIC = [0x1f, 0x8b] as const;

/** What {@link openChunks} found out about a file before reading its contents. */
export interface FileChunks {
  /** Size of the file on disk, in bytes (compressed size for gzip). */
  readonly size: number;
  /** Whether the file is gzip-compressed (detected from its first bytes, not its name). */
  readonly gzip: boolean;
  /** The file's contents (decompressed when gzip), chunk by chunk, read once from disk. */
  readonly chunks: AsyncIterable<Uint8Array>;
  /** Close the file without reading the rest (iterating `chunks` to the end, or breaking out, closes it too). */
  close(): void;
}

/**
 * Open `file` and stream its contents once: the first chunk decides whether it is gzip (magic `1f 8b`),
 * in which case the chunks pass through `zlib`'s gunzip. File-system failures become
 * {@link DatasetFileError}s and corrupt gzip data a {@link DatasetFormatError}, both naming `file`.
 */
export async function openChunks(file: string): Promise<FileChunks> {
  let handle;
  try {
    handle = await open(file, "r");
  } catch (error) {
    throw new DatasetFileError(file, describeSystemError(error), { cause: error });
  }
  let size: number;
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new DatasetFileError(file, "is not a regular file");
    size = stat.size;
  } catch (error) {
    await handle.close();
    if (error instanceof DatasetFileError) throw error;
    throw new DatasetFileError(file, describeSystemError(error), { cause: error });
  }
  const raw = handle.createReadStream({ highWaterMark: 1 << 20 }); // closes the handle when done
  const iterator = raw[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let first: IteratorResult<Buffer>;
  try {
    first = await iterator.next();
  } catch (error) {
    raw.destroy();
    throw new DatasetFileError(file, describeSystemError(error), { cause: error });
  }
  const head = first.done ? Buffer.alloc(0) : first.value;
  const gzip = head.length >= 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
  async function* plain(): AsyncGenerator<Uint8Array> {
    try {
      if (head.length > 0) yield head;
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value;
      }
    } catch (error) {
      throw new DatasetFileError(file, describeSystemError(error), { cause: error });
    } finally {
      raw.destroy();
    }
  }
  const close = () => {
    raw.destroy();
  };
  if (!gzip) return { size, gzip, chunks: plain(), close };
  async function* gunzipped(): AsyncGenerator<Uint8Array> {
    const gunzip = pipeline(Readable.from(plain()), createGunzip(), () => {});
    try {
      for await (const chunk of gunzip) yield chunk as Buffer;
    } catch (error) {
      if (error instanceof DatasetFileError) throw error;
      throw new DatasetFormatError(file, `is not a valid gzip stream (${(error as Error).message})`, { cause: error });
    } finally {
      gunzip.destroy();
    }
  }
  return { size, gzip, chunks: gunzipped(), close };
}

function describeSystemError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === "ENOENT") return "not found";
  if (code === "EISDIR") return "is a directory, expected a file";
  if (code === "EACCES" || code === "EPERM") return "cannot be read (permission denied)";
  return `cannot be read (${(error as Error)?.message ?? String(error)})`;
}

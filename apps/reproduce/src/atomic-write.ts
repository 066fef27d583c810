import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import writeFileAtomicLibrary from "write-file-atomic";

/**
 * Write a file atomically with `write-file-atomic` (npm's own helper): the data goes to a temporary file beside the
 * target, is flushed to disk and renamed over it, so a reader (or a resumed run) sees either the old file or the
 * new one, never half of one; concurrent writes to one path from this process are queued. Creates missing parent
 * directories.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomicLibrary(path, typeof data === "string" ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength));
}

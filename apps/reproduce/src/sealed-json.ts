import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { writeFileAtomic } from "./atomic-write.js";
import { CorruptFileError } from "./corrupt-file-error.js";

/** Hex SHA-256 of a string or bytes. */
export function sha256(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/**
 * The sealed form of a JSON value: `{"sha256": <hex SHA-256 of JSON.stringify(value)>, "value": value}`. The file
 * stays plain JSON, and any change to the value (a truncated file, an edited number) breaks the checksum.
 * `JSON.stringify(JSON.parse(text))` reproduces `text` for any text `JSON.stringify` wrote (shortest round-trip
 * numbers, the same key order), so the reader can recompute the checksum from the parsed value.
 */
export function sealJson(value: unknown, indent?: number): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError("sealJson: the value has no JSON form");
  const body = indent === undefined ? text : JSON.stringify(value, null, indent);
  return `{"sha256":${JSON.stringify(sha256(text))},"value":${body}}\n`;
}

/** Write `value` sealed ({@link sealJson}) and atomically. */
export async function writeSealedJson(path: string, value: unknown, indent?: number): Promise<void> {
  await writeFileAtomic(path, sealJson(value, indent));
}

/**
 * Read a file written by {@link writeSealedJson}; `undefined` when it does not exist.
 * @throws the file system's error when it cannot be read; {@link CorruptFileError} (one line, naming the file) when it is not valid JSON, not sealed, or its value
 *   does not match its checksum.
 */
export async function readSealedJson<T>(path: string): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error; // an I/O failure (permissions, a file where a folder belongs) is not corruption: nothing to repair

  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CorruptFileError(path, `is not valid JSON (${text.length === 0 ? "empty file" : (error as Error).message})`, error);
  }
  const sealed = parsed as { sha256?: unknown; value?: unknown } | null;
  if (typeof sealed !== "object" || sealed === null || typeof sealed.sha256 !== "string" || !("value" in sealed)) {
    throw new CorruptFileError(path, "is not a sealed file ({ sha256, value }): damaged, or written by an older version without checksums");
  }
  if (sha256(JSON.stringify(sealed.value)) !== sealed.sha256) {
    throw new CorruptFileError(path, "does not match its SHA-256 (the file was changed or corrupted)");
  }
  return sealed.value as T;
}

import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { InvalidArgumentError } from "@smoothhess/errors";
import { fetchModelBytes } from "./fetch-model-bytes.js";
import { OnnxModelError } from "./onnx-model-error.js";

/**
 * Where {@link loadOnnxModel} reads a model from: its bytes (`Uint8Array`, `ArrayBuffer`), a `URL`, or a string —
 * a file path in Node, a URL (relative to the page) in a browser.
 */
export type OnnxModelSource = string | URL | Uint8Array | ArrayBuffer;

/** The bytes of a model source and the name errors give it (the path or URL, or `"model"` for bytes). */
export interface ModelBytes {
  readonly bytes: Uint8Array;
  readonly where: string;
}

/**
 * Node: a string is a file path; a `file:` URL is read from disk, an `http:`/`https:` URL fetched; bytes are used as
 * they are. (The browser build replaces this module by `model-source.browser.ts`, which fetches strings and URLs.)
 * @throws {@link OnnxModelError} for a file that cannot be read or a URL that cannot be fetched;
 *   {@link InvalidArgumentError} for a source of another type or URL scheme.
 */
export async function readModelSource(source: OnnxModelSource): Promise<ModelBytes> {
  if (typeof source === "string") return { bytes: await readModelFile(source), where: source };
  if (source instanceof URL) {
    if (source.protocol === "file:") return { bytes: await readModelFile(fileURLToPath(source)), where: source.href };
    if (source.protocol === "http:" || source.protocol === "https:") return { bytes: await fetchModelBytes(source.href), where: source.href };
    throw new InvalidArgumentError("source", "a file:, http: or https: URL", source.href);
  }
  if (source instanceof Uint8Array) return { bytes: source, where: "model" };
  if (source instanceof ArrayBuffer) return { bytes: new Uint8Array(source), where: "model" };
  throw new InvalidArgumentError("source", "a file path, a URL, a Uint8Array or an ArrayBuffer", source);
}

async function readModelFile(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (cause) {
    throw new OnnxModelError(path, `cannot read the file (${(cause as Error).message})`, cause);
  }
}

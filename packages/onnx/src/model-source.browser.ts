// The browser build's replacement for `model-source.ts` (see tsup.config.ts, "browser variants"): no file system,
// so strings are URLs.
import { InvalidArgumentError } from "@smoothhess/errors";
import { fetchModelBytes } from "./fetch-model-bytes.js";
import type { readModelSource as nodeReadModelSource } from "./model-source.js";

/**
 * Browser: a string or `URL` is fetched (a relative string resolves against the page, as `fetch` does); bytes are
 * used as they are.
 * @throws {@link OnnxModelError} for a URL that cannot be fetched or answers with an error status;
 *   {@link InvalidArgumentError} for a source of another type.
 */
export const readModelSource: typeof nodeReadModelSource = async (source) => {
  if (typeof source === "string") return { bytes: await fetchModelBytes(source), where: source };
  if (source instanceof URL) return { bytes: await fetchModelBytes(source.href), where: source.href };
  if (source instanceof Uint8Array) return { bytes: source, where: "model" };
  if (source instanceof ArrayBuffer) return { bytes: new Uint8Array(source), where: "model" };
  throw new InvalidArgumentError("source", "a URL (string or URL), a Uint8Array or an ArrayBuffer", source);
};

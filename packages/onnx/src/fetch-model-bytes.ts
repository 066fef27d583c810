import { OnnxModelError } from "./onnx-model-error.js";

/**
 * The body of `url` fetched with the platform's `fetch` (browsers, Node ≥ 18): the bytes of a model served over
 * HTTP(S), or a `blob:` / `data:` URL in a browser. A network failure or a status outside 200–299 becomes an
 * {@link OnnxModelError} naming the URL.
 */
export async function fetchModelBytes(url: string): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (cause) {
    throw new OnnxModelError(url, `cannot fetch the model (${(cause as Error).message})`, cause);
  }
  if (!response.ok) {
    throw new OnnxModelError(url, `cannot fetch the model: HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`);
  }
  try {
    return new Uint8Array(await response.arrayBuffer());
  } catch (cause) {
    throw new OnnxModelError(url, `cannot read the response body (${(cause as Error).message})`, cause);
  }
}

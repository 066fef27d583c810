import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { randomDenseNetwork } from "@smoothhess/oracle";
import { InvalidArgumentError } from "@smoothhess/errors";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OnnxModelError } from "./onnx-model-error.js";
import { loadOnnxModel } from "./onnx-model.js";
import { readModelSource } from "./model-source.js";
import { readModelSource as readModelSourceInBrowser } from "./model-source.browser.js";
import { denseNetworkGraph } from "./test-support.js";

// a plain Uint8Array (the encoder hands out a Node Buffer), as fetch and readFile give back
const bytes = new Uint8Array(denseNetworkGraph(randomDenseNetwork([2, 3, 1], { seed: 1 })));
const folder = mkdtempSync(join(tmpdir(), "smoothhess-model-source-"));
const path = join(folder, "model.onnx");
writeFileSync(path, bytes);
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url === "/model.onnx") response.writeHead(200).end(bytes);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(folder, { recursive: true, force: true });
});

describe("readModelSource (Node entry)", () => {
  it("reads a path, a file: URL, an http: URL and bytes to the same bytes, naming each", async () => {
    expect(await readModelSource(path)).toEqual({ bytes, where: path });
    const file = pathToFileURL(path);
    expect(await readModelSource(file)).toEqual({ bytes, where: file.href });
    expect(await readModelSource(new URL(`${base}/model.onnx`))).toEqual({ bytes, where: `${base}/model.onnx` });
    expect(await readModelSource(bytes)).toEqual({ bytes, where: "model" });
    expect(await readModelSource(bytes.slice().buffer)).toEqual({ bytes, where: "model" });
  });

  it("names the file or URL it cannot read, and the argument of another type or scheme", async () => {
    await expect(readModelSource("no-such-model.onnx")).rejects.toThrow(/^no-such-model\.onnx: cannot read the file \(ENOENT/);
    await expect(readModelSource(new URL(`${base}/gone.onnx`))).rejects.toThrow(new OnnxModelError(`${base}/gone.onnx`, "cannot fetch the model: HTTP 404 Not Found"));
    await expect(readModelSource(new URL("ftp://example.com/m.onnx"))).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(readModelSource(42 as never)).rejects.toThrow(/source.*a file path, a URL, a Uint8Array or an ArrayBuffer/);
  });

  it("loadOnnxModel takes each form", async () => {
    for (const source of [path, pathToFileURL(path), new URL(`${base}/model.onnx`), bytes]) {
      expect((await loadOnnxModel(source)).dim).toBe(2);
    }
  });
});

describe("readModelSource (browser entry's variant)", () => {
  it("fetches strings and URLs; bytes as they are", async () => {
    expect(await readModelSourceInBrowser(`${base}/model.onnx`)).toEqual({ bytes, where: `${base}/model.onnx` });
    expect(await readModelSourceInBrowser(new URL(`${base}/model.onnx`))).toEqual({ bytes, where: `${base}/model.onnx` });
    expect(await readModelSourceInBrowser(bytes)).toEqual({ bytes, where: "model" });
  });

  it("names the URL it cannot fetch, and the argument of another type", async () => {
    await expect(readModelSourceInBrowser(`${base}/gone.onnx`)).rejects.toThrow(`${base}/gone.onnx: cannot fetch the model: HTTP 404 Not Found`);
    await expect(readModelSourceInBrowser("http://127.0.0.1:1/refused.onnx")).rejects.toThrow(/^http:\/\/127\.0\.0\.1:1\/refused\.onnx: cannot fetch the model \(/);
    await expect(readModelSourceInBrowser(42 as never)).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});

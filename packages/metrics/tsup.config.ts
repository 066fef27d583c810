import { defineConfig } from "tsup";

// Two entries: the float64 evaluation (no tfjs anywhere in its import graph) and `@smoothhess/metrics/tfjs`, which
// needs the optional peers @smoothhess/tfjs and @tensorflow/tfjs-core.
export default defineConfig({
  entry: { index: "src/index.ts", "tfjs/index": "src/tfjs/index.ts" },
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  external: [/^@smoothhess\//, /^@tensorflow\//],
});

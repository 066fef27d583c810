import { defineConfig } from "tsup";

// The backends (@smoothhess/tfjs, @smoothhess/onnx) are optional peers loaded by dynamic import only when a model
// of theirs is explained; they and the other workspace packages stay external.
export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  external: [/^@smoothhess\//, /^@tensorflow\//, /^onnxruntime-/],
});

import { defineConfig } from "tsup";

// tfjs-core's Node bundle registers no gradients (see shared NOTES). The gradient configs live only in its ESM
// `dist/` tree, whose extensionless imports plain Node cannot resolve, so they are bundled here — the same thing
// @tensorflow/tfjs-layers does in its own Node bundle. tfjs-core itself stays external (a peer dependency);
// the registrations land in tfjs-core's global gradient registry, shared by every copy.
export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  shims: true,
  noExternal: [/^@tensorflow\/tfjs-core\/dist\//],
});

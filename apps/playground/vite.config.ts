import { defineConfig } from "vite";

// A static page: `vite build` writes dist/ (index.html, the bundle, the model file and onnxruntime-web's .wasm as
// assets). `vite dev` pre-bundles dependencies and would lose onnxruntime-web's .wasm, which it locates relative to its
// own module (vitejs/vite#8427), so it is served unbundled.
export default defineConfig({
  base: "./",
  build: { target: "es2022", chunkSizeWarningLimit: 4096 },
  optimizeDeps: { exclude: ["onnxruntime-web"] },
  server: { fs: { allow: ["../.."] } },
});

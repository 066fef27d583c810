import { defineConfig } from "vite";

// A static page: `vite build` writes dist/ (index.html, the bundle, the model file as an asset).
export default defineConfig({
  base: "./",
  build: { target: "es2022", chunkSizeWarningLimit: 4096 },
  server: { fs: { allow: ["../.."] } },
});

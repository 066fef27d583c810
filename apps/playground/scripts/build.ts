// `pnpm build` of the playground: vite build, once the model file it embeds is in the repository. The ONNX fixture
// arrives with @smoothhess/onnx; until then the build says so and skips, so that the workspace build stays green.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "vite";

const model = fileURLToPath(new URL("../../../packages/onnx/fixtures/authors-mnist-mlp.onnx", import.meta.url));
if (!existsSync(model)) {
  console.log(`playground: build skipped — ${model} is missing (it comes with @smoothhess/onnx's fixtures)`);
} else {
  await build({ root: fileURLToPath(new URL("..", import.meta.url)), logLevel: "warn" });
}

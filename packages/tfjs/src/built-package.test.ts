// The built package (dist/) as users load it: ESM and CommonJS consumers start the worker threads from the bundled
// worker module (dist/kernel-worker.js / .cjs) and get the calling thread's numbers. turbo builds this package
// before its tests (packages/tfjs/turbo.json); run `pnpm --filter @smoothhess/tfjs build` first when calling vitest
// directly.
import { execFile } from "node:child_process";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const run = promisify(execFile);

/** Newest modification time of the non-test sources, so a stale dist/ fails loudly instead of testing old code. */
function newestSource(): number {
  const src = join(packageDir, "src");
  return Math.max(
    ...readdirSync(src)
      .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && f !== "test-helpers.ts")
      .map((f) => statSync(join(src, f)).mtimeMs),
  );
}

// Values and gradients of a pooled and an in-thread oracle on the same points; `load` binds the package's exports.
const body = (load: string, backend: string, target: string) => `
${load}
  await useBackend(${JSON.stringify(backend)});
  const net = mlp({ sizes: [6, 10, 3], seed: 1 });
  const x = Float32Array.from({ length: 8 * 6 }, (_, i) => Math.sin(i));
  const pooled = tfjsOracle(net, ${target}, { workers: 2, parallelThreshold: 4 });
  const local = tfjsOracle(net, ${target}, { workers: 0 });
  const a = await pooled.evaluate(x, 8);
  const b = await local.evaluate(x, 8);
  let diff = 0;
  for (let i = 0; i < a.gradients.length; i++) diff = Math.max(diff, Math.abs(a.gradients[i] - b.gradients[i]));
  for (let i = 0; i < a.values.length; i++) diff = Math.max(diff, Math.abs(a.values[i] - b.values[i]));
  const scale = Math.max(...Array.from(b.gradients, Math.abs));
  await pooled.dispose();
  await local.dispose();
  net.dispose();
  console.log("RESULT " + JSON.stringify({ diff, scale }));
`;

async function consumer(format: "esm" | "cjs", backend: "wasm" | "cpu", target: string): Promise<{ diff: number; scale: number }> {
  const code =
    format === "esm"
      ? body('import { mlp, tfjsOracle, useBackend } from "@smoothhess/tfjs";', backend, target)
      : `(async () => {${body('const { mlp, tfjsOracle, useBackend } = require("@smoothhess/tfjs");', backend, target)}})();`;
  // -e code resolves "@smoothhess/tfjs" from the package directory: the package's own exports (dist/).
  const args = format === "esm" ? ["--input-type=module", "-e", code] : ["-e", code];
  const { stdout } = await run(process.execPath, args, { cwd: packageDir });
  const line = stdout.split("\n").find((l) => l.startsWith("RESULT "));
  if (!line) throw new Error(`no result from the ${format} consumer:\n${stdout}`);
  return JSON.parse(line.slice("RESULT ".length)) as { diff: number; scale: number };
}

describe("the built package (dist/)", () => {
  it("is at least as new as the sources", () => {
    expect(statSync(join(packageDir, "dist", "kernel-worker.js")).mtimeMs).toBeGreaterThanOrEqual(newestSource());
    expect(statSync(join(packageDir, "dist", "kernel-worker.cjs")).mtimeMs).toBeGreaterThanOrEqual(newestSource());
  });

  it("declarations import only packages the manifest declares (tfjs-core as a peer; TSDoc examples do not count)", () => {
    const manifest = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as {
      name: string;
      dependencies?: Record<string, string>;
      peerDependencies?: Record<string, string>;
    };
    const declared = new Set([manifest.name, ...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]);
    for (const file of ["index.d.ts", "index.d.cts"]) {
      // TypeScript's own pre-processor: imports in comments (the TSDoc examples import "@tensorflow/tfjs") do not count
      const { importedFiles } = ts.preProcessFile(readFileSync(join(packageDir, "dist", file), "utf8"), true, true);
      const packages = importedFiles
        .map((f) => f.fileName)
        .filter((s) => !s.startsWith(".") && !s.startsWith("node:"))
        .map((s) => (s.startsWith("@") ? s.split("/").slice(0, 2).join("/") : s.split("/")[0]!));
      expect(packages, file).toContain("@tensorflow/tfjs-core");
      expect(packages.filter((p) => !declared.has(p)), file).toEqual([]);
    }
  });

  it.each([
    ["esm", "wasm", "{ softmax: 2 }"],
    ["cjs", "cpu", "{ crossEntropy: 1 }"],
  ] as const)("%s consumer on %s: worker threads from dist/ give the calling thread's numbers (%s)", async (format, backend, target) => {
    const { diff, scale } = await consumer(format, backend, target);
    expect(scale).toBeGreaterThan(0);
    expect(diff).toBeLessThanOrEqual(1e-6 * scale);
  });
});

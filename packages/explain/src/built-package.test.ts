// The built package (dist/) as users load it. turbo builds this package before its tests (packages/explain/turbo.json);
// run `pnpm --filter @smoothhess/explain build` first when calling vitest directly.
import { execFile } from "node:child_process";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const run = promisify(execFile);
const manifest = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as {
  name: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
};

/** Newest modification time of the non-test sources, so a stale dist/ fails loudly instead of testing old code. */
function newestSource(): number {
  const src = join(packageDir, "src");
  return Math.max(
    ...readdirSync(src)
      .filter((f) => f.endsWith(".ts") && !f.includes(".test"))
      .map((f) => statSync(join(src, f)).mtimeMs),
  );
}

/** The packages a file imports (TypeScript's pre-processor: comments and strings do not count). */
function importedPackages(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(join(packageDir, file), "utf8"), true, true);
  return importedFiles
    .map((f) => f.fileName)
    .filter((s) => !s.startsWith(".") && !s.startsWith("node:"))
    .map((s) => (s.startsWith("@") ? s.split("/").slice(0, 2).join("/") : s.split("/")[0]!));
}

/** A CommonJS program in its own process, resolving "@smoothhess/explain" from the package directory: dist/index.cjs. */
async function commonJs(code: string): Promise<string> {
  const { stdout } = await run(process.execPath, ["-e", `(async () => { ${code} })().catch((e) => { console.error(e); process.exit(1); });`], {
    cwd: packageDir,
  });
  return stdout;
}

describe("the built package (dist/)", () => {
  it("is at least as new as the sources", () => {
    for (const file of ["index.js", "index.cjs", "index.d.ts", "index.d.cts"]) {
      expect(statSync(join(packageDir, "dist", file)).mtimeMs, file).toBeGreaterThanOrEqual(newestSource());
    }
  });

  it("loads with require() and draws from CommonJS (vega and vega-lite, ESM with top-level await, which require() cannot load, are imported when drawing)", async () => {
    const out = await commonJs(`
      const explain = require("@smoothhess/explain");
      const { randomDenseNetwork } = require("@smoothhess/oracle");
      const result = await explain.interactions(randomDenseNetwork([4, 6, 2], { seed: 1 }), [0.1, 0.2, 0.3, 0.4], { samples: 200, sigma: 0.3 });
      const svg = await result.matrixSvg();
      console.log(JSON.stringify({ file: require.resolve("@smoothhess/explain"), svg: svg.slice(0, 4), marks: (svg.match(/<path /g) || []).length }));
    `);
    const printed = JSON.parse(out.trim().split("\n").pop()!) as { file: string; svg: string; marks: number };
    expect(printed.file.endsWith(join("dist", "index.cjs"))).toBe(true);
    expect(printed.svg).toBe("<svg");
    expect(printed.marks).toBeGreaterThanOrEqual(16); // the 4×4 matrix's cells
  });

  it("declarations import only packages the manifest declares, and no vega or vega-lite types", () => {
    const declared = new Set([manifest.name, ...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]);
    for (const file of ["dist/index.d.ts", "dist/index.d.cts"]) {
      const imported = importedPackages(file);
      expect(imported.length, file).toBeGreaterThan(0);
      expect(imported.filter((p) => !declared.has(p)), file).toEqual([]);
      expect(imported.filter((p) => p === "vega" || p === "vega-lite"), file).toEqual([]);
    }
  });

  it("the code imports vega and vega-lite only by dynamic import()", () => {
    for (const file of ["dist/index.js", "dist/index.cjs"]) {
      const code = readFileSync(join(packageDir, file), "utf8");
      expect(code, file).not.toMatch(/require\(\s*["']vega(-lite)?["']\s*\)|\bfrom\s*["']vega(-lite)?["']/);
      expect(code, file).toMatch(/import\(\s*["']vega["']\s*\)/);
    }
  });
});

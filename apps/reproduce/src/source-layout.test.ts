import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import madge from "madge";
import { describe, expect, it } from "vitest";

/**
 * The app's layout rules (README "Adding an experiment"): no import cycles and no file above 300 lines in `src/`.
 * Cycles are found by madge, which resolves the `./x.js` specifiers of our TypeScript sources to `./x.ts` through
 * the TypeScript compiler; the first test proves that it does, so the real check cannot pass by seeing no imports.
 */
const MAX_LINES = 300;
const source = fileURLToPath(new URL(".", import.meta.url));
const tsConfig = fileURLToPath(new URL("../tsconfig.json", import.meta.url));

async function cycles(directory: string): Promise<string[][]> {
  const graph = await madge(directory, { fileExtensions: ["ts"], tsConfig, detectiveOptions: { ts: { skipTypeImports: false } } });
  return graph.circular();
}

async function sourceFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith(".ts")).map((e) => join(e.parentPath, e.name));
}

describe("apps/reproduce/src layout", () => {
  it("the cycle check sees a cycle through .js specifiers (a planted a.ts ↔ b.ts)", async () => {
    const planted = await mkdtemp(join(tmpdir(), "reproduce-cycle-"));
    try {
      await writeFile(join(planted, "a.ts"), 'import { b } from "./b.js";\nexport const a = () => b;\n');
      await writeFile(join(planted, "b.ts"), 'import type { a } from "./a.js";\nexport const b = (f?: typeof a) => f;\n');
      expect(await cycles(planted)).toEqual([["a.ts", "b.ts"]]);
    } finally {
      await rm(planted, { recursive: true, force: true });
    }
  });

  it("has no import cycles (type-only imports included)", async () => {
    expect(await cycles(source)).toEqual([]);
  });

  it(`has no file above ${MAX_LINES} lines`, async () => {
    const files = await sourceFiles(source);
    expect(files.length).toBeGreaterThan(20);
    const long: string[] = [];
    for (const file of files) {
      const lines = (await readFile(file, "utf8")).split("\n").length;
      if (lines > MAX_LINES) long.push(`${file.slice(source.length)}: ${lines} lines`);
    }
    expect(long).toEqual([]);
  });
});

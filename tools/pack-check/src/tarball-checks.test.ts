import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { importedSpecifiers, tarballProblems, type Manifest } from "./tarball-checks.js";

// A declaration file as tsup's dts rollup writes it: real imports at the top, TSDoc with `@example` code below.
const DECLARATIONS = `import * as tf from '@tensorflow/tfjs-core';
import type { Point } from "@scope/types";
/**
 * @example
 * \`\`\`ts
 * import * as tf from "@tensorflow/tfjs";
 * import { fromFunction } from "@smoothhess/tfjs";
 * const m = require("commented-require");
 * \`\`\`
 */
declare function f(x: tf.Tensor, p: Point): typeof import("type-query");
// import x from "line-comment";
declare const message = "import y from 'in-a-string'";
export { f };
export { g } from "./local.js";
`;

const CODE = `"use strict";
var core = require("@tensorflow/tfjs-core");
async function load() { return await import("lazy-dependency"); }
const s = 'require("in-a-string")';
/* import "block-comment"; */
import "side-effect";
`;

describe("importedSpecifiers", () => {
  it("finds imports, re-exports, type references, require() and import() calls", () => {
    expect([...importedSpecifiers(DECLARATIONS)].sort()).toEqual(["./local.js", "@scope/types", "@tensorflow/tfjs-core", "type-query"]);
    expect([...importedSpecifiers(CODE)].sort()).toEqual(["@tensorflow/tfjs-core", "lazy-dependency", "side-effect"]);
  });

  it("ignores code in comments (TSDoc examples) and in strings", () => {
    const found = [...importedSpecifiers(DECLARATIONS), ...importedSpecifiers(CODE)];
    for (const text of ["@tensorflow/tfjs", "@smoothhess/tfjs", "commented-require", "line-comment", "in-a-string", "block-comment"]) {
      expect(found).not.toContain(text);
    }
  });
});

describe("tarballProblems: imports the manifest does not declare", () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  function problems(files: Record<string, string>, manifest: Partial<Manifest> = {}): string[] {
    dir = mkdtempSync(join(tmpdir(), "tarball-checks-test-"));
    const all: Record<string, string> = { "README.md": "# x\n", ...files };
    for (const [file, text] of Object.entries(all)) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
    const full: Manifest = {
      name: "@smoothhess/example",
      version: "0.1.0",
      types: "./dist/index.d.ts",
      exports: { ".": { import: { types: "./dist/index.d.ts", default: "./dist/index.js" } } },
      ...manifest,
    };
    const sizes = new Map(Object.entries(all).map(([file, text]) => [file, text.length]));
    return tarballProblems({ dir, files: sizes, manifest: full }, new Map());
  }

  it("accepts declarations whose TSDoc examples import packages that are not dependencies", () => {
    const found = problems(
      { "dist/index.d.ts": DECLARATIONS, "dist/index.js": CODE },
      {
        dependencies: { "@scope/types": "^1.0.0", "type-query": "^1.0.0", "lazy-dependency": "^1.0.0", "side-effect": "^1.0.0" },
        peerDependencies: { "@tensorflow/tfjs-core": "^4.22.0" },
      },
    );
    expect(found).toEqual([]);
  });

  it("reports a real import of an undeclared package, naming the file and the specifier", () => {
    const found = problems(
      { "dist/index.d.ts": `import { View } from "vega";\nexport declare const v: View;\n`, "dist/index.js": CODE },
      { dependencies: { "lazy-dependency": "^1.0.0", "side-effect": "^1.0.0" }, devDependencies: { vega: "^6.0.0" } },
    );
    expect(found).toEqual([
      `dist/index.d.ts imports "vega", which the manifest does not declare (only a devDependency)`,
      `dist/index.js imports "@tensorflow/tfjs-core", which the manifest does not declare`,
    ]);
  });
});

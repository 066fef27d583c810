import { builtinModules } from "node:module";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { satisfies } from "./version-range.js";

/** An unpacked tarball: `dir` is its `package/` folder, `files` its paths relative to that folder (posix). */
export interface UnpackedPackage {
  readonly dir: string;
  readonly files: ReadonlyMap<string, number>;
  readonly manifest: Manifest;
}

export interface Manifest {
  readonly name: string;
  readonly version: string;
  readonly main?: string;
  readonly module?: string;
  readonly types?: string;
  readonly exports?: unknown;
  readonly typesVersions?: Record<string, Record<string, string[]>>;
  readonly sideEffects?: boolean | string[];
  readonly dependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  readonly optionalDependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
}

const DEPENDENCY_FIELDS = ["dependencies", "peerDependencies", "optionalDependencies", "devDependencies"] as const;
/** Files a published package may hold besides `dist/`. */
const TOP_LEVEL_FILES = /^(package\.json|README\.md|CHANGELOG\.md|LICEN[CS]E(\.md|\.txt)?)$/;
/** No single file above this size (the largest today are tfjs's source maps, ~1.2 MB). */
const MAX_FILE_BYTES = 4 * 1024 * 1024;
/** Code that registers tfjs kernels or gradients when it runs: bundlers must not drop it. */
const REGISTRATION = /\bregister(Gradient|Kernel|Backend)\(/;
const CODE = /\.(c|m)?js$/;
const DECLARATIONS = /\.d\.(c|m)?ts$/;
const BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/**
 * Problems of one packed package that an install would run into: unresolved workspace ranges, internal ranges the
 * current versions do not satisfy, files outside `dist/` and the usual top-level files, entry points missing from
 * the tarball, `exports` conditions without their own declarations, registration code that `sideEffects` lets a
 * bundler drop, and imports (in code or declarations) of packages the manifest does not declare.
 *
 * @param workspaceVersions - name → version of every workspace package, for the internal ranges.
 */
export function tarballProblems(pkg: UnpackedPackage, workspaceVersions: ReadonlyMap<string, string>): string[] {
  return [
    ...dependencyProblems(pkg.manifest, workspaceVersions),
    ...fileProblems(pkg),
    ...entryPointProblems(pkg),
    ...sideEffectProblems(pkg),
    ...importProblems(pkg),
  ];
}

function dependencyProblems(manifest: Manifest, workspaceVersions: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  for (const field of DEPENDENCY_FIELDS) {
    for (const [name, range] of Object.entries(manifest[field] ?? {})) {
      if (/^(workspace|link|file|portal|catalog):/.test(range)) {
        problems.push(`${field}.${name} is "${range}" in the tarball (pnpm pack should have replaced it)`);
        continue;
      }
      const current = workspaceVersions.get(name);
      if (current === undefined || field === "devDependencies") continue;
      const ok = satisfies(current, range);
      if (ok === undefined) problems.push(`${field}.${name} "${range}" is a range this check cannot read`);
      else if (!ok) problems.push(`${field}.${name} "${range}" does not include the workspace version ${current}`);
    }
  }
  const tfjsCore = "@tensorflow/tfjs-core";
  if (manifest.dependencies?.[tfjsCore]) problems.push(`${tfjsCore} is a dependency; it must be a peerDependency`);
  return problems;
}

function fileProblems(pkg: UnpackedPackage): string[] {
  const problems: string[] = [];
  if (!pkg.files.has("README.md")) problems.push("no README.md");
  if (![...pkg.files.keys()].some((f) => f.startsWith("dist/"))) problems.push("no dist/ files");
  for (const [file, bytes] of pkg.files) {
    if (!file.startsWith("dist/") && !TOP_LEVEL_FILES.test(file)) problems.push(`unexpected file ${file}`);
    else if (/\.(test|spec|bench)\.|(^|\/)__tests__\/|\.tsbuildinfo$/.test(file)) problems.push(`test or build junk ${file}`);
    if (bytes > MAX_FILE_BYTES) problems.push(`${file} is ${(bytes / 1048576).toFixed(1)} MiB`);
  }
  return problems;
}

/** Every string target of `exports`, with the condition path that leads to it. */
function exportTargets(value: unknown, path: string[] = []): { path: string[]; target: string }[] {
  if (typeof value === "string") return [{ path, target: value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => exportTargets(v, [...path, String(i)]));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => exportTargets(v, [...path, k]));
  return [];
}

function entryPointProblems(pkg: UnpackedPackage): string[] {
  const { manifest } = pkg;
  const problems: string[] = [];
  const has = (target: string) => pkg.files.has(target.replace(/^\.\//, ""));
  for (const field of ["main", "module", "types"] as const) {
    const target = manifest[field];
    if (target !== undefined && !has(target)) problems.push(`"${field}": "${target}" is not in the tarball`);
  }
  if (manifest.exports === undefined) problems.push(`no "exports"`);
  for (const { path, target } of exportTargets(manifest.exports)) {
    if (!target.startsWith("./")) problems.push(`exports ${path.join(" → ")}: "${target}" does not start with ./`);
    else if (!has(target)) problems.push(`exports ${path.join(" → ")}: "${target}" is not in the tarball`);
  }
  problems.push(...conditionProblems(manifest.exports, []));
  for (const [range, paths] of Object.entries(manifest.typesVersions ?? {})) {
    for (const [pattern, targets] of Object.entries(paths)) {
      for (const target of targets) {
        if (!target.includes("*") && !has(target))
          problems.push(`typesVersions["${range}"]["${pattern}"]: "${target}" is not in the tarball`);
      }
    }
  }
  return problems;
}

/**
 * In every condition object, `types` comes first (TypeScript takes the first matching condition), and each
 * `import` / `require` object carries its own `types` (`.d.ts` for `import`, `.d.cts` for `require` in a
 * `"type": "module"` package), so neither format borrows the other's declarations.
 */
function conditionProblems(value: unknown, path: string[]): string[] {
  if (!value || typeof value !== "object" || Array.isArray(value)) return [];
  const keys = Object.keys(value);
  const problems: string[] = [];
  const where = path.length > 0 ? path.join(" → ") : "(root)";
  if (keys.includes("types") && keys[0] !== "types") problems.push(`exports ${where}: "types" is not the first condition`);
  for (const format of ["import", "require"] as const) {
    const branch = (value as Record<string, unknown>)[format];
    if (branch && typeof branch === "object") {
      const types = (branch as Record<string, unknown>).types;
      const expected = format === "import" ? /\.d\.(ts|mts)$/ : /\.d\.cts$/;
      if (typeof types !== "string") problems.push(`exports ${[...path, format].join(" → ")} has no "types"`);
      else if (!expected.test(types))
        problems.push(
          `exports ${[...path, format, "types"].join(" → ")}: "${types}" is not a ${format === "import" ? ".d.ts" : ".d.cts"} file`,
        );
    }
  }
  for (const [key, child] of Object.entries(value)) problems.push(...conditionProblems(child, [...path, key]));
  return problems;
}

/** A `sideEffects` glob as a RegExp over package-relative paths (webpack's reading: no slash = any folder). */
function globToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/^\.\//, "");
  const source = body
    .split("**")
    .map((part) =>
      part
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .replace(/\*/g, "[^/]*")
        .replace(/\?/g, "[^/]"),
    )
    .join(".*");
  return new RegExp(body.includes("/") ? `^${source}$` : `(^|/)${source}$`);
}

function sideEffectProblems(pkg: UnpackedPackage): string[] {
  const problems: string[] = [];
  const { sideEffects } = pkg.manifest;
  const patterns = Array.isArray(sideEffects) ? sideEffects.map(globToRegExp) : [];
  for (const file of pkg.files.keys()) {
    if (!CODE.test(file)) continue;
    if (!REGISTRATION.test(readFileSync(join(pkg.dir, file), "utf8"))) continue;
    if (sideEffects === false) problems.push(`${file} registers tfjs kernels or gradients but "sideEffects" is false`);
    else if (Array.isArray(sideEffects) && !patterns.some((p) => p.test(file))) {
      problems.push(`${file} registers tfjs kernels or gradients but no "sideEffects" pattern covers it`);
    }
  }
  return problems;
}

/** The package a bare specifier names (`@scope/name/sub` → `@scope/name`), or undefined for relative ones. */
function packageOf(specifier: string): string | undefined {
  if (/^(\.|\/|[a-z]+:\/\/|data:)/.test(specifier)) return undefined;
  if (BUILTINS.has(specifier) || specifier.startsWith("node:")) return undefined;
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/**
 * Module specifiers a file really imports: static imports and re-exports (type-only included), side-effect imports,
 * `import("…")` (calls and type references) and `require("…")` with a literal argument — read by TypeScript's own
 * pre-processor, so that code in comments (TSDoc `@example` blocks) and strings does not count, as a regular
 * expression over the text would.
 */
export function importedSpecifiers(code: string): Set<string> {
  const { importedFiles } = ts.preProcessFile(code, /* readImportFiles */ true, /* detectJavaScriptImports */ true);
  return new Set(importedFiles.map((f) => f.fileName));
}

function importProblems(pkg: UnpackedPackage): string[] {
  const { manifest } = pkg;
  const declared = new Set([
    manifest.name,
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}),
    ...Object.keys(manifest.optionalDependencies ?? {}),
  ]);
  const problems: string[] = [];
  for (const file of pkg.files.keys()) {
    if (!CODE.test(file) && !DECLARATIONS.test(file)) continue;
    const code = readFileSync(join(pkg.dir, file), "utf8");
    for (const specifier of importedSpecifiers(code)) {
      const name = packageOf(specifier);
      if (name === undefined || declared.has(name)) continue;
      const dev = manifest.devDependencies?.[name] !== undefined ? " (only a devDependency)" : "";
      problems.push(`${file} imports "${specifier}", which the manifest does not declare${dev}`);
    }
  }
  return problems;
}

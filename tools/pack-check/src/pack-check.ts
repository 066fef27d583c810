/**
 * `pnpm pack:check [--no-build] [--no-lint] [--keep] [--dir DIR]`: proves that users can install the published
 * packages one by one from their tarballs. Not part of `pnpm test` or CI: it needs the npm registry and takes a
 * few minutes.
 *
 * 1. Builds the published packages (turbo, cached; `--no-build` skips it) and `pnpm pack`s each one into a scratch
 *    folder outside the repository (a fresh temp folder, or `--dir`).
 * 2. Checks every tarball: no `workspace:` ranges left, internal ranges that include the current versions, only
 *    `dist/` plus the usual top-level files, entry points (`main`, `module`, `types`, `exports`, `typesVersions`)
 *    that exist, per-format declarations in `exports`, `sideEffects` that keep tfjs registration code, and every
 *    import of the built code and declarations declared in the manifest.
 * 3. npm project: installs all tarballs as local files plus `@tensorflow/tfjs-core`, `onnxruntime-node`,
 *    `onnxruntime-web` (npm adds the required peers; a scratch `.npmrc` skips onnxruntime-node's CUDA download),
 *    TypeScript and esbuild from the registry; runs `fixtures/full/consumer.mjs` and `consumer.cjs` (one call into
 *    every package, tfjs on cpu and wasm, worker threads included), `consumer-browser.mjs` (`@smoothhess/onnx`'s
 *    browser entry on `onnxruntime-web`) in Node under `--conditions=browser` and bundled by esbuild for the browser,
 *    and `tsc --noEmit` on `consumer-types.ts` under `moduleResolution` nodenext (as .mts and .cts), bundler and
 *    node10.
 * 4. pnpm project (strict layout: a package sees only what its manifest declares): the packages that need no tfjs,
 *    without tfjs installed; runs `fixtures/minimal` the same way (nodenext only).
 * 5. `attw` (@arethetypeswrong/cli) and `publint --strict` on every tarball (`--no-lint` skips them).
 *
 * The scratch folder is removed when everything passed, unless `--keep`; on failure it stays, with every command's
 * full output under `logs/`. Exit code 1 when any check failed.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { outsideEnvironment, runCommand, tail } from "./run-command.js";
import { tarballProblems, type Manifest, type UnpackedPackage } from "./tarball-checks.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const fixtures = fileURLToPath(new URL("../fixtures/", import.meta.url));
/** Versions of the linters, fixed so that a new release cannot change the verdict unnoticed. */
const LINTERS = { "@arethetypeswrong/cli": "^0.18.5", publint: "^0.3.25" } as const;
const MARKER = ".smoothhess-pack-check";
/**
 * The scratch projects' `.npmrc`: onnxruntime-node's install script downloads CUDA provider files from a host
 * outside the npm registry and fails the whole install when it cannot; its CPU binaries ship in the package, so
 * the download is skipped, as in the repository's own `.npmrc`.
 */
const SCRATCH_NPMRC = "onnxruntime-node-install=skip\n";
/** Optional peers the consumers need installed: the Node and the browser runtime of `@smoothhess/onnx`. */
const RUNTIME_PEERS = ["onnxruntime-node", "onnxruntime-web"] as const;
const USAGE = "usage: pnpm pack:check [--no-build] [--no-lint] [--keep] [--dir DIR]";

interface Options {
  build: boolean;
  lint: boolean;
  keep: boolean;
  dir?: string;
}

interface Published {
  readonly name: string;
  readonly version: string;
  readonly dir: string;
  readonly manifest: Manifest;
  tarball?: string;
  unpacked?: UnpackedPackage;
}

function parseArguments(argv: string[]): Options {
  const options: Options = { build: true, lint: true, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") continue;
    else if (arg === "--no-build") options.build = false;
    else if (arg === "--no-lint") options.lint = false;
    else if (arg === "--keep") options.keep = true;
    else if (arg === "--dir" || arg.startsWith("--dir=")) {
      const dir = arg.includes("=") ? arg.slice("--dir=".length) : argv[++i];
      if (!dir) throw new Error(`--dir needs a folder; ${USAGE}`);
      options.dir = resolve(dir);
    } else throw new Error(`unknown option ${JSON.stringify(arg)}; ${USAGE}`);
  }
  return options;
}

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, "utf8")) as T;
}

/** Every workspace package, from the `dir/*` patterns of pnpm-workspace.yaml. */
function workspaceManifests(): { dir: string; manifest: Manifest & { private?: boolean } }[] {
  const yaml = readFileSync(join(root, "pnpm-workspace.yaml"), "utf8");
  const parents = [...yaml.matchAll(/^\s*-\s*["']?([\w./-]+)\/\*["']?\s*$/gm)].map((m) => m[1]!);
  return parents.flatMap((parent) => {
    const base = join(root, parent);
    if (!existsSync(base)) return [];
    return readdirSync(base, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(join(base, entry.name, "package.json")))
      .map((entry) => ({
        dir: join(base, entry.name),
        manifest: readJson<Manifest & { private?: boolean }>(join(base, entry.name, "package.json")),
      }));
  });
}

/** A scratch folder outside the repository: `--dir` (emptied; refused unless empty or from an earlier run) or a new temp folder. */
function scratchFolder(dir: string | undefined): string {
  const folder = dir ?? mkdtempSync(join(tmpdir(), "smoothhess-pack-check-"));
  const inside = relative(root, folder);
  if (inside === "" || (!inside.startsWith("..") && !inside.startsWith(sep))) {
    throw new Error(`--dir ${folder} is inside the repository; the consumers must live outside it`);
  }
  if (existsSync(folder) && readdirSync(folder).length > 0) {
    if (!existsSync(join(folder, MARKER))) throw new Error(`--dir ${folder} is not empty and was not made by pack:check`);
    rmSync(folder, { recursive: true, force: true });
  }
  mkdirSync(join(folder, "logs"), { recursive: true });
  writeFileSync(join(folder, MARKER), "scratch folder of pnpm pack:check; safe to delete\n");
  return folder;
}

/** Files of an unpacked tarball, package-relative posix paths → sizes. */
function listFiles(dir: string, prefix = ""): Map<string, number> {
  const files = new Map<string, number>();
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) for (const [f, s] of listFiles(dir, path)) files.set(f, s);
    else files.set(path, statSync(join(dir, path)).size);
  }
  return files;
}

/** Import specifiers a fixture must mention: every package name and every `exports` subpath but package.json. */
function entryPoints(pkg: Published): string[] {
  const exports = pkg.manifest.exports;
  const subpaths = exports && typeof exports === "object" && !Array.isArray(exports) ? Object.keys(exports) : ["."];
  return subpaths
    .filter((s) => s !== "./package.json" && !s.includes("*"))
    .map((s) => (s === "." ? pkg.name : `${pkg.name}/${s.slice(2)}`));
}

/** Packages that run without tfjs: no `@tensorflow/*` or tfjs-needing package among dependencies or required peers. */
function tfjsFree(published: readonly Published[]): Published[] {
  const needs = new Set<string>();
  let changed = true;
  while (changed) {
    changed = false;
    for (const pkg of published) {
      if (needs.has(pkg.name)) continue;
      const { dependencies = {}, peerDependencies = {}, peerDependenciesMeta = {} } = pkg.manifest;
      const required = [...Object.keys(dependencies), ...Object.keys(peerDependencies).filter((p) => !peerDependenciesMeta[p]?.optional)];
      if (required.some((d) => d.startsWith("@tensorflow/") || needs.has(d))) {
        needs.add(pkg.name);
        changed = true;
      }
    }
  }
  return published.filter((p) => !needs.has(p.name));
}

class Report {
  private failures = 0;
  private checks = 0;

  /** Record one check; `detail` is printed under a failure (and after a pass when `always`). */
  add(name: string, ok: boolean, detail = "", always = false): boolean {
    this.checks++;
    if (!ok) this.failures++;
    console.log(`${ok ? "  ok  " : "  FAIL"} ${name}`);
    if (detail && (!ok || always)) console.log(detail);
    return ok;
  }

  get failed(): number {
    return this.failures;
  }

  get total(): number {
    return this.checks;
  }
}

function section(title: string): void {
  console.log(`\n${title}`);
}

function main(): number {
  const options = parseArguments(process.argv.slice(2));
  const workspace = workspaceManifests();
  const versions = new Map(workspace.map((w) => [w.manifest.name, w.manifest.version]));
  const published: Published[] = workspace
    .filter((w) => w.manifest.private !== true)
    .map((w) => ({ name: w.manifest.name, version: w.manifest.version, dir: w.dir, manifest: w.manifest }));
  const scratch = scratchFolder(options.dir);
  const logs = join(scratch, "logs");
  const outside = outsideEnvironment(root);
  const report = new Report();
  const started = Date.now();
  console.log(`pack:check — ${published.length} published packages; scratch folder ${scratch}`);

  if (options.build) {
    section("build");
    const filters = published.map((p) => `--filter=${p.name}`);
    const build = runCommand(
      "pnpm",
      ["exec", "turbo", "run", "build", ...filters, "--concurrency=1", "--output-logs=errors-only"],
      root,
      join(logs, "build.log"),
    );
    if (!report.add("turbo run build", build.ok, tail(build.output))) return finish(report, scratch, options, started);
  }

  section("pack and inspect the tarballs");
  const tarballs = join(scratch, "tarballs");
  mkdirSync(tarballs);
  for (const pkg of published) {
    const pack = runCommand("pnpm", ["pack", "--pack-destination", tarballs], pkg.dir, join(logs, "pack.log"));
    const tarball = join(tarballs, `${pkg.name.replace(/^@/, "").replace("/", "-")}-${pkg.version}.tgz`);
    if (!report.add(`pnpm pack ${pkg.name}`, pack.ok && existsSync(tarball), tail(pack.output))) continue;
    pkg.tarball = tarball;
    const into = join(scratch, "unpacked", basename(tarball, ".tgz"));
    mkdirSync(into, { recursive: true });
    const untar = runCommand("tar", ["-xzf", tarball, "-C", into], scratch, join(logs, "pack.log"), outside);
    if (!report.add(`unpack ${basename(tarball)}`, untar.ok, tail(untar.output))) continue;
    const dir = join(into, "package");
    const files = listFiles(dir);
    pkg.unpacked = { dir, files, manifest: readJson<Manifest>(join(dir, "package.json")) };
    const problems = tarballProblems(pkg.unpacked, versions);
    const unpackedBytes = [...files.values()].reduce((a, b) => a + b, 0);
    const summary = `${files.size} files, ${(statSync(tarball).size / 1024).toFixed(0)} kB packed, ${(unpackedBytes / 1024).toFixed(
      0,
    )} kB unpacked`;
    report.add(`${pkg.name} tarball (${summary})`, problems.length === 0, problems.map((p) => `      ${p}`).join("\n"));
  }
  const packed = published.filter((p) => p.unpacked);
  if (packed.length !== published.length) return finish(report, scratch, options, started);

  const free = tfjsFree(published);
  section("fixtures cover every entry point");
  const coverage: [string, string[], Published[]][] = [
    ["full", ["consumer.mjs", "consumer.cjs", "consumer-types.ts"], published],
    ["minimal", ["consumer.mjs", "consumer.cjs", "consumer-types.ts"], free],
  ];
  for (const [folder, files, packages] of coverage) {
    for (const file of files) {
      const text = readFileSync(join(fixtures, folder, file), "utf8");
      const wanted = folder === "full" ? packages.flatMap(entryPoints) : packages.map((p) => p.name);
      const missing = wanted.filter((e) => !text.includes(`"${e}"`));
      report.add(`fixtures/${folder}/${file}`, missing.length === 0, `      does not import ${missing.join(", ")}`);
    }
  }

  const rootManifest = readJson<{ devDependencies: Record<string, string> }>(join(root, "package.json"));
  // the bundler of the browser consumer, at the version tools/browser-check uses
  const browserCheckManifest = readJson<{ devDependencies: Record<string, string> }>(join(root, "tools", "browser-check", "package.json"));
  const peerRange = (name: string) => published.map((p) => p.manifest.peerDependencies?.[name]).find((r) => r !== undefined);
  const fileSpec = (pkg: Published) => `file:${pkg.tarball}`;

  section("npm project: every tarball, tfjs-core from the registry");
  const npmProject = join(scratch, "npm-consumer");
  mkdirSync(npmProject);
  for (const file of readdirSync(join(fixtures, "full"))) copyFileSync(join(fixtures, "full", file), join(npmProject, file));
  copyFileSync(join(npmProject, "consumer-types.ts"), join(npmProject, "consumer-types.mts"));
  copyFileSync(join(npmProject, "consumer-types.ts"), join(npmProject, "consumer-types.cts"));
  const tfjsCore = peerRange("@tensorflow/tfjs-core");
  const runtimePeers = Object.fromEntries(RUNTIME_PEERS.flatMap((name) => (peerRange(name) ? [[name, peerRange(name)!]] : [])));
  writeFileSync(join(npmProject, ".npmrc"), SCRATCH_NPMRC);
  writeFileSync(
    join(npmProject, "package.json"),
    JSON.stringify(
      {
        name: "pack-check-npm-consumer",
        version: "0.0.0",
        private: true,
        dependencies: {
          ...Object.fromEntries(published.map((p) => [p.name, fileSpec(p)])),
          ...(tfjsCore ? { "@tensorflow/tfjs-core": tfjsCore } : {}),
          ...runtimePeers,
        },
        devDependencies: {
          typescript: rootManifest.devDependencies.typescript,
          "@types/node": rootManifest.devDependencies["@types/node"],
          esbuild: browserCheckManifest.devDependencies.esbuild,
        },
      },
      null,
      2,
    ),
  );
  const npmInstall = runCommand(
    "npm",
    ["install", "--no-audit", "--no-fund", "--loglevel=error"],
    npmProject,
    join(logs, "npm-consumer.log"),
    outside,
  );
  const tsc = join(npmProject, "node_modules", "typescript", "bin", "tsc");
  if (report.add("npm install", npmInstall.ok, tail(npmInstall.output))) {
    for (const script of ["consumer.mjs", "consumer.cjs"]) {
      const run = runCommand(process.execPath, [script], npmProject, join(logs, "npm-consumer.log"), outside);
      report.add(`node ${script}`, run.ok, tail(run.output));
    }
    // the browser entries: in Node under the "browser" condition, and bundled for browsers by esbuild
    const browserRun = runCommand(
      process.execPath,
      ["--conditions=browser", "consumer-browser.mjs"],
      npmProject,
      join(logs, "npm-consumer.log"),
      outside,
    );
    report.add("node --conditions=browser consumer-browser.mjs (browser entries, onnxruntime-web)", browserRun.ok, tail(browserRun.output));
    const bundle = runCommand(
      join(npmProject, "node_modules", ".bin", "esbuild"),
      ["consumer-browser.mjs", "--bundle", "--platform=browser", "--format=esm", "--outfile=browser-bundle.js", "--log-level=warning"],
      npmProject,
      join(logs, "npm-consumer.log"),
      outside,
    );
    const bundled = bundle.ok ? readFileSync(join(npmProject, "browser-bundle.js"), "utf8") : "";
    report.add(
      "esbuild --platform=browser consumer-browser.mjs (no Node module, no onnxruntime-node)",
      bundle.ok && bundle.output.trim() === "" && !/(\bfrom|\bimport\s*\()\s*["']onnxruntime-node["']/.test(bundled) && bundled.includes("ort-wasm-simd-threaded"),
      tail(bundle.output) || "      the bundle imports onnxruntime-node, or lacks onnxruntime-web",
    );
    for (const resolution of ["nodenext", "bundler", "node10"]) {
      const check = runCommand(
        process.execPath,
        [tsc, "-p", `tsconfig.${resolution}.json`],
        npmProject,
        join(logs, "npm-consumer.log"),
        outside,
      );
      report.add(`tsc --noEmit, moduleResolution ${resolution}`, check.ok, tail(check.output));
    }
  }

  section(`pnpm project: ${free.map((p) => p.name.replace("@smoothhess/", "")).join(", ")} — no tfjs installed`);
  const pnpmProject = join(scratch, "pnpm-consumer");
  mkdirSync(pnpmProject);
  for (const file of readdirSync(join(fixtures, "minimal"))) copyFileSync(join(fixtures, "minimal", file), join(pnpmProject, file));
  copyFileSync(join(pnpmProject, "consumer-types.ts"), join(pnpmProject, "consumer-types.mts"));
  copyFileSync(join(pnpmProject, "consumer-types.ts"), join(pnpmProject, "consumer-types.cts"));
  const local = Object.fromEntries(free.map((p) => [p.name, fileSpec(p)]));
  const freePeers = Object.fromEntries(
    RUNTIME_PEERS.flatMap((name) => {
      const range = free.map((p) => p.manifest.peerDependencies?.[name]).find((r) => r !== undefined);
      return range ? [[name, range]] : [];
    }),
  );
  writeFileSync(join(pnpmProject, ".npmrc"), SCRATCH_NPMRC);
  writeFileSync(
    join(pnpmProject, "package.json"),
    JSON.stringify(
      {
        name: "pack-check-pnpm-consumer",
        version: "0.0.0",
        private: true,
        dependencies: { ...local, ...freePeers },
        pnpm: { overrides: local },
      },
      null,
      2,
    ),
  );
  const pnpmInstall = runCommand(
    "pnpm",
    ["install", "--ignore-workspace", "--no-frozen-lockfile"],
    pnpmProject,
    join(logs, "pnpm-consumer.log"),
    outside,
  );
  if (report.add("pnpm install", pnpmInstall.ok, tail(pnpmInstall.output))) {
    const tensorflow = existsSync(join(pnpmProject, "node_modules", "@tensorflow"));
    report.add("no @tensorflow/* installed", !tensorflow, "      node_modules/@tensorflow exists: a package pulled tfjs in");
    for (const script of ["consumer.mjs", "consumer.cjs"]) {
      const run = runCommand(process.execPath, [script], pnpmProject, join(logs, "pnpm-consumer.log"), outside);
      report.add(`node ${script}`, run.ok, tail(run.output));
    }
    if (existsSync(tsc)) {
      const check = runCommand(
        process.execPath,
        [tsc, "-p", "tsconfig.nodenext.json"],
        pnpmProject,
        join(logs, "pnpm-consumer.log"),
        outside,
      );
      report.add("tsc --noEmit, moduleResolution nodenext", check.ok, tail(check.output));
    }
  }

  if (options.lint) {
    section("attw and publint on every tarball");
    const lintProject = join(scratch, "lint");
    mkdirSync(lintProject);
    writeFileSync(
      join(lintProject, "package.json"),
      JSON.stringify({ name: "pack-check-lint", version: "0.0.0", private: true, dependencies: LINTERS }, null, 2),
    );
    const lintInstall = runCommand(
      "npm",
      ["install", "--no-audit", "--no-fund", "--loglevel=error"],
      lintProject,
      join(logs, "lint.log"),
      outside,
    );
    if (report.add(`npm install ${Object.keys(LINTERS).join(" ")}`, lintInstall.ok, tail(lintInstall.output))) {
      const bin = (name: string) => join(lintProject, "node_modules", ".bin", name);
      for (const pkg of published) {
        const attw = runCommand(
          bin("attw"),
          [pkg.tarball!, "--format", "table-flipped", "--no-emoji"],
          lintProject,
          join(logs, "lint.log"),
          outside,
        );
        report.add(`attw ${pkg.name}`, attw.ok, tail(attw.output, 40));
        const publint = runCommand(bin("publint"), ["run", pkg.tarball!, "--strict"], lintProject, join(logs, "lint.log"), outside);
        const suggestions = publint.output.split("\n").filter((l) => /^\d+\. /.test(l));
        report.add(
          `publint --strict ${pkg.name}${
            suggestions.length ? ` (${suggestions.length} suggestion${suggestions.length > 1 ? "s" : ""})` : ""
          }`,
          publint.ok,
          tail(publint.output),
        );
      }
    }
  }
  return finish(report, scratch, options, started);
}

function finish(report: Report, scratch: string, options: Options, started: number): number {
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  if (report.failed > 0) {
    console.log(`\npack:check: ${report.failed} of ${report.total} checks failed (${seconds} s). Scratch folder and full logs: ${scratch}`);
    return 1;
  }
  console.log(`\npack:check: all ${report.total} checks passed (${seconds} s).`);
  if (options.keep) console.log(`Scratch folder kept: ${scratch}`);
  else rmSync(scratch, { recursive: true, force: true });
  return 0;
}

try {
  process.exitCode = main();
} catch (error) {
  console.error(`pack:check: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}

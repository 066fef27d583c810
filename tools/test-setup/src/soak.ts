/**
 * `pnpm test:soak [--rounds N] [--no-build] [package …]`: runs the property-test files (test files that import
 * fast-check) of every workspace package that uses this setup, with `FC_SEED=random`, so each test file draws a
 * fresh seed and prints it. `--rounds N` repeats that N times (fresh seeds each round); package names (`linalg` or
 * `@smoothhess/linalg`) narrow the run. The targets' workspace dependencies are built first through turbo (cached;
 * `--no-build` skips that when their `dist/` is known to be current). Packages run one at a time, each through its
 * own `test` script; a failing round ends the soak with exit code 1 after the round's remaining packages.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const SETUP_PACKAGE = "@smoothhess/test-setup";
const root = fileURLToPath(new URL("../../../", import.meta.url));

interface SoakTarget {
  name: string;
  dir: string;
  files: string[];
}

function parseArguments(argv: string[]): { rounds: number; build: boolean; only: string[] } {
  let rounds = 1;
  let build = true;
  const only: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") continue;
    if (arg === "--no-build") {
      build = false;
      continue;
    }
    if (arg === "--rounds" || arg.startsWith("--rounds=")) {
      const text = arg.includes("=") ? arg.slice("--rounds=".length) : argv[++i];
      rounds = Number(text);
      if (!Number.isInteger(rounds) || rounds < 1) {
        throw new Error(`--rounds must be a positive integer; received ${JSON.stringify(text)}`);
      }
    } else if (arg.startsWith("-")) {
      throw new Error(`unknown option ${JSON.stringify(arg)}; usage: pnpm test:soak [--rounds N] [--no-build] [package …]`);
    } else {
      only.push(arg.startsWith("@") ? arg : `@smoothhess/${arg}`);
    }
  }
  return { rounds, build, only };
}

/** The workspace folders, from the `dir/*` patterns of pnpm-workspace.yaml. */
function workspaceDirs(): string[] {
  const yaml = readFileSync(join(root, "pnpm-workspace.yaml"), "utf8");
  const parents = [...yaml.matchAll(/^\s*-\s*["']?([\w./-]+)\/\*["']?\s*$/gm)].map((m) => m[1]!);
  return parents.flatMap((parent) => {
    const base = join(root, parent);
    if (!existsSync(base)) return [];
    return readdirSync(base, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(join(base, entry.name, "package.json")))
      .map((entry) => join(base, entry.name));
  });
}

function testFilesImportingFastCheck(dir: string): string[] {
  const src = join(dir, "src");
  if (!existsSync(src)) return [];
  return readdirSync(src, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".test.ts"))
    .filter((file) => /from\s+["']fast-check["']/.test(readFileSync(join(src, file), "utf8")))
    .map((file) => relative(dir, join(src, file)).split("\\").join("/"))
    .sort();
}

function soakTargets(only: string[]): SoakTarget[] {
  const targets: SoakTarget[] = [];
  for (const dir of workspaceDirs()) {
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    const uses = { ...manifest.dependencies, ...manifest.devDependencies }[SETUP_PACKAGE] !== undefined;
    if (!uses || (only.length > 0 && !only.includes(manifest.name))) continue;
    const files = testFilesImportingFastCheck(dir);
    if (files.length > 0) targets.push({ name: manifest.name, dir, files });
  }
  const missing = only.filter((name) => !targets.some((t) => t.name === name));
  if (missing.length > 0) {
    throw new Error(`no property tests set up through ${SETUP_PACKAGE} in ${missing.join(", ")}`);
  }
  return targets;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): boolean {
  const result = spawnSync(command, args, { cwd: root, env, stdio: "inherit", shell: process.platform === "win32" });
  return result.status === 0;
}

function soak(argv: string[]): number {
  const { rounds, build, only } = parseArguments(argv);
  const targets = soakTargets(only);

  // the tests import their workspace dependencies from dist/: build those (turbo, cached), not the targets themselves
  const buildFilters = targets.map((t) => `--filter=${t.name}^...`);
  if (build && !run("pnpm", ["exec", "turbo", "run", "build", ...buildFilters, "--output-logs=errors-only"])) return 1;

  const failures: string[] = [];
  for (let round = 1; round <= rounds && failures.length === 0; round++) {
    for (const { name, files } of targets) {
      console.log(`\n[soak] round ${round}/${rounds}: ${name}, ${files.length} property-test files, FC_SEED=random`);
      const env = { ...process.env, FC_SEED: "random" };
      if (!run("pnpm", ["--filter", name, "test", ...files], env)) failures.push(`${name} (round ${round})`);
    }
  }

  if (failures.length > 0) {
    console.error(`\n[soak] failed: ${failures.join(", ")}`);
    console.error("[soak] replay: FC_SEED=<seed printed for the failing file> pnpm --filter <package> test <file>");
    return 1;
  }
  console.log(`\n[soak] ${rounds} round(s) passed: ${targets.map((t) => t.name).join(", ")}`);
  return 0;
}

try {
  process.exitCode = soak(process.argv.slice(2));
} catch (error) {
  console.error(`[soak] ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}

/**
 * `pnpm --filter @smoothhess/doc-test test [--only TEXT] [--jobs N] [--timeout S]`: every TypeScript / JavaScript
 * code block of every README (the root, `packages/*`, `apps/*`) must work when pasted into a project.
 *
 * 1. Extracts the blocks (`extract-blocks.ts`) and writes each as its own module under `.scratch/blocks/`, inside
 *    this package, so `@smoothhess/*` resolve to the built workspace packages (through this package's
 *    devDependencies, as they would from a user's `node_modules`).
 * 2. Type-checks all of them in one `tsc` program: strict, `moduleResolution` nodenext, the packages' `dist/`
 *    declarations. Errors are reported at their README line.
 * 3. Runs each block with tsx in its own empty folder (which sees the repository's `packages/` as `packages/`, so
 *    the READMEs' repository-relative paths such as `packages/onnx/fixtures/…` resolve), in parallel workers, each
 *    with a time limit.
 *
 * A block that cannot run (it needs files the user provides, a trained model, a browser) carries an HTML comment
 * before its fence: `<!-- doc-test: no-run — reason -->` (type-checked only) or `<!-- doc-test: skip — reason -->`
 * (neither). Exit code 1 when any block fails.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { extractBlocks, type CodeBlock } from "./extract-blocks.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const here = fileURLToPath(new URL("../", import.meta.url));
const scratch = join(here, ".scratch");
const USAGE = "usage: doc-test [--only TEXT] [--jobs N] [--timeout SECONDS]";

interface Options {
  only?: string;
  jobs: number;
  timeoutSeconds: number;
}

function parseArguments(argv: string[]): Options {
  const options: Options = { jobs: Math.max(1, Math.min(2, availableParallelism())), timeoutSeconds: 120 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value; ${USAGE}`);
      return v;
    };
    if (arg === "--") continue;
    else if (arg === "--only") options.only = value();
    else if (arg === "--jobs") options.jobs = Math.max(1, Number.parseInt(value(), 10) || 1);
    else if (arg === "--timeout") options.timeoutSeconds = Math.max(1, Number(value()) || 120);
    else throw new Error(`unknown option ${JSON.stringify(arg)}; ${USAGE}`);
  }
  return options;
}

/** The READMEs the doc test covers: the root's and those of every package and app. */
function readmes(): string[] {
  const found = [join(root, "README.md")];
  for (const parent of ["packages", "apps"]) {
    const base = join(root, parent);
    if (!existsSync(base)) continue;
    for (const entry of readdirSync(base, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const file = join(base, entry.name, "README.md");
      if (entry.isDirectory() && existsSync(file)) found.push(file);
    }
  }
  return found;
}

interface WrittenBlock {
  readonly block: CodeBlock;
  readonly id: string;
  readonly file: string;
}

function blockId(block: CodeBlock): string {
  const dir = block.readme === "README.md" ? "root" : block.readme.replace(/\/README\.md$/, "").replace(/\//g, "-");
  return `${dir}-L${block.fenceLine}`;
}

function where(block: CodeBlock): string {
  return `${block.readme}:${block.fenceLine}`;
}

function writeBlocks(blocks: CodeBlock[]): WrittenBlock[] {
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(join(scratch, "blocks"), { recursive: true });
  mkdirSync(join(scratch, "run"), { recursive: true });
  writeFileSync(join(scratch, "package.json"), `${JSON.stringify({ type: "module", private: true }, null, 2)}\n`);
  const written = blocks.map((block) => {
    const id = blockId(block);
    const file = join(scratch, "blocks", `${id}.${block.language === "ts" ? "ts" : "mjs"}`);
    writeFileSync(file, block.code);
    return { block, id, file };
  });
  // What a user's project would have: strict TypeScript, Node's module resolution, the published declarations.
  const tsconfig = {
    compilerOptions: {
      target: "ES2022",
      lib: ["ES2022"],
      module: "NodeNext",
      moduleResolution: "NodeNext",
      moduleDetection: "force",
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      allowJs: true,
      checkJs: false,
      types: ["node"],
    },
    files: written.filter((w) => w.block.mode !== "skip").map((w) => relative(scratch, w.file)),
  };
  writeFileSync(join(scratch, "tsconfig.json"), `${JSON.stringify(tsconfig, null, 2)}\n`);
  return written;
}

/** Runs tsc once over every block; returns the error lines per block id, mapped to README lines. */
function typeCheck(written: WrittenBlock[]): Map<string, string[]> {
  const tsc = join(here, "node_modules", "typescript", "bin", "tsc");
  const result = spawnSync(process.execPath, [tsc, "-p", "tsconfig.json", "--pretty", "false"], {
    cwd: scratch,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const errors = new Map<string, string[]>();
  const byFile = new Map(written.map((w) => [relative(scratch, w.file), w]));
  const unmatched: string[] = [];
  for (const line of `${result.stdout}${result.stderr}`.split("\n")) {
    if (!line.trim()) continue;
    const m = /^(.+?)\((\d+),(\d+)\): (.*)$/.exec(line);
    const w = m ? byFile.get(m[1]!) : undefined;
    if (!m || !w) {
      // continuation lines of a multi-line message belong to the previous error
      const last = [...errors.values()].at(-1);
      if (last && /^\s/.test(line)) last.push(line);
      else unmatched.push(line);
      continue;
    }
    const list = errors.get(w.id) ?? [];
    list.push(`${w.block.readme}:${w.block.fenceLine + Number(m[2])}:${m[3]} ${m[4]}`);
    errors.set(w.id, list);
  }
  if (result.status !== 0 && errors.size === 0) errors.set("(tsc)", unmatched.length ? unmatched : [`tsc exited with ${result.status}`]);
  return errors;
}

interface RunResult {
  readonly ok: boolean;
  readonly seconds: number;
  readonly output: string;
}

function runBlock(w: WrittenBlock, timeoutSeconds: number): Promise<RunResult> {
  const cwd = join(scratch, "run", w.id);
  mkdirSync(cwd, { recursive: true });
  symlinkSync(join(root, "packages"), join(cwd, "packages"), "dir");
  const tsx = join(here, "node_modules", "tsx", "dist", "cli.mjs");
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [tsx, w.file], {
      cwd,
      env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutSeconds * 1000);
    child.on("close", (code) => {
      clearTimeout(timer);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (timedOut) output += `\n[killed after the ${timeoutSeconds} s limit]`;
      resolve({ ok: code === 0 && !timedOut, seconds, output });
    });
  });
}

/** Runs `tasks` with at most `jobs` at a time, in order of submission. */
async function pool<T, R>(items: T[], jobs: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, items.length) }, worker));
  return results;
}

function indent(text: string, lines = 30): string {
  return text
    .trimEnd()
    .split("\n")
    .slice(-lines)
    .map((l) => `      ${l}`)
    .join("\n");
}

async function main(): Promise<number> {
  const options = parseArguments(process.argv.slice(2));
  const started = Date.now();
  let blocks = readmes().flatMap((file) => extractBlocks(relative(root, file).split("\\").join("/"), readFileSync(file, "utf8")));
  if (options.only) blocks = blocks.filter((b) => where(b).includes(options.only!));
  if (blocks.length === 0) {
    // nothing to check is a mistake in the filter (or a tree without READMEs), never a pass
    console.error(`doc-test: no code block ${options.only ? `matches --only ${JSON.stringify(options.only)}` : "found in the READMEs"}`);
    return 2;
  }
  const written = writeBlocks(blocks);
  const counts = { run: 0, "no-run": 0, skip: 0 };
  for (const b of blocks) counts[b.mode]++;
  console.log(
    `doc-test: ${blocks.length} code blocks in ${new Set(blocks.map((b) => b.readme)).size} READMEs ` +
      `(${counts.run} run, ${counts["no-run"]} type-checked only, ${counts.skip} skipped)`,
  );
  for (const w of written.filter((w) => w.block.mode !== "run")) console.log(`  ${w.block.mode.padEnd(6)} ${where(w.block)} — ${w.block.reason}`);

  const typeErrors = typeCheck(written.filter((w) => w.block.mode !== "skip"));
  const failed = new Set<string>();
  console.log(`\ntype-check (tsc --strict, nodenext): ${((Date.now() - started) / 1000).toFixed(1)} s`);
  for (const [id, lines] of typeErrors) {
    failed.add(id);
    console.log(`  FAIL ${id}\n${lines.map((l) => `      ${l}`).join("\n")}`);
  }

  const runnable = written.filter((w) => w.block.mode === "run" && !typeErrors.has(w.id));
  console.log(`\nrun (${options.jobs} at a time, ${options.timeoutSeconds} s limit each):`);
  await pool(runnable, options.jobs, async (w) => {
    const result = await runBlock(w, options.timeoutSeconds);
    console.log(`  ${result.ok ? "ok  " : "FAIL"} ${where(w.block)} (${result.seconds.toFixed(1)} s)`);
    if (!result.ok) {
      failed.add(w.id);
      console.log(indent(result.output));
    }
    return result;
  });

  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  const skippedForTypes = written.filter((w) => w.block.mode === "run" && typeErrors.has(w.id)).length;
  if (failed.size > 0) {
    console.log(
      `\ndoc-test: ${failed.size} of ${blocks.length - counts.skip} blocks failed` +
        `${skippedForTypes ? ` (${skippedForTypes} not run because they do not type-check)` : ""} (${seconds} s). ` +
        `Block files: ${relative(root, join(scratch, "blocks"))}`,
    );
    return 1;
  }
  console.log(`\ndoc-test: all ${blocks.length - counts.skip} blocks passed (${seconds} s).`);
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(`doc-test: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);

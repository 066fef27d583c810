import { mkdir, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { SmoothHessError } from "@smoothhess/errors";
import { useBackend, type BackendName } from "@smoothhess/tfjs";
import type { RunOptions } from "./experiment.js";
import { UsageError } from "./usage-error.js";

/**
 * Check everything about a run that needs the file system or a backend, before any work starts, so a mistake
 * costs a second, not a training run: `--data-dir` is an existing directory, `--out` is (or can be created as) a
 * writable directory, and the `--backend` loads (`tensorflow` needs `@tensorflow/tfjs-node`, which is optional).
 * Creates `--out` when missing. Writability is proven by taking the output lock, which the caller does next.
 * @throws {@link UsageError} (one line, exit code 2) naming the flag.
 */
export async function preflight(options: RunOptions): Promise<void> {
  if (options.dataDir !== undefined) {
    const info = await stat(options.dataDir).catch(() => undefined);
    if (!info?.isDirectory()) throw new UsageError(`--data-dir ${JSON.stringify(options.dataDir)} does not exist or is not a directory`);
  }
  for (const from of options.merging ? [] : (options.from ?? [])) {
    const info = await stat(from).catch(() => undefined);
    if (!info?.isDirectory()) throw new UsageError(`--from ${JSON.stringify(from)} does not exist or is not a directory (the --out of a merge)`);
  }
  const missing = await checkOutputDirectory(options.out);
  try {
    await useBackend(options.backend as BackendName);
  } catch (error) {
    if (!(error instanceof SmoothHessError)) throw error;
    throw new UsageError(`--backend ${options.backend}: ${error.message.split("\n")[0]}`);
  }
  if (missing) await createOutputDirectory(options.out);
}

/** Check `--out` without creating anything; true when it does not exist yet. */
async function checkOutputDirectory(out: string): Promise<boolean> {
  const target = resolve(out);
  const info = await stat(target).catch(() => undefined);
  if (info && !info.isDirectory()) throw new UsageError(`--out ${JSON.stringify(out)} is a file, not a directory`);
  if (info) return false;
  // Find the nearest existing ancestor: a regular file there is the usual mistake (--out results.json/x).
  for (let parent = dirname(target); ; parent = dirname(parent)) {
    const above = await stat(parent).catch(() => undefined);
    if (above && !above.isDirectory()) throw new UsageError(`--out ${JSON.stringify(out)} cannot be created: ${parent} is a file`);
    if (above || parent === dirname(parent)) break;
  }
  return true;
}

async function createOutputDirectory(out: string): Promise<void> {
  const target = resolve(out);
  try {
    await mkdir(target, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`--out ${JSON.stringify(out)} cannot be created (${code === "EACCES" || code === "EPERM" || code === "EROFS" ? "permission denied or read-only file system" : code})`);
  }
}

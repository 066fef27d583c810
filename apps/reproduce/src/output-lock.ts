import { hostname } from "node:os";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import lockfile from "proper-lockfile";
import { UsageError } from "./usage-error.js";

/** Name of the lock (a directory, made atomically by proper-lockfile) inside `--out`. */
export const LOCK_NAME = ".smoothhess-reproduce.lock";
/** Who holds the lock: pid, host, start time and command, for the message a second run prints. */
export const OWNER_NAME = ".smoothhess-reproduce.owner.json";

interface Owner {
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
  readonly command: string;
}

/**
 * Take the lock on output directory `out` (which must exist) for this process, so that two runs never write one
 * `--out` at once: a second run refuses with a one-line {@link UsageError} naming the holder (pid, start time,
 * command) before doing any work.
 *
 * proper-lockfile makes the lock atomically and removes it when the process exits, even on SIGINT/SIGTERM. Its
 * staleness rule (a lock not refreshed for `stale` ms is taken over) would let a second run steal the lock of a
 * live run whose event loop is busy for minutes (a long training epoch), so `stale` is set to a day and a lock
 * left by a killed run on this host is recognised by its pid instead: when that process no longer exists, the
 * lock is removed and taken.
 *
 * @returns a function that releases the lock.
 * @throws {@link UsageError} when another live run holds it, or `out` is not writable.
 */
export async function lockOutputDirectory(out: string): Promise<() => Promise<void>> {
  const lockPath = join(out, LOCK_NAME);
  const ownerPath = join(out, OWNER_NAME);
  const options = {
    lockfilePath: lockPath,
    realpath: false,
    stale: 24 * 3600 * 1000,
    retries: 0,
    onCompromised: (error: Error) => process.stderr.write(`smoothhess-reproduce: warning: the lock on ${out} was lost (${error.message})\n`),
  };
  for (let attempt = 0; ; attempt++) {
    try {
      const release = await lockfile.lock(out, options);
      const owner: Owner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), command: process.argv.slice(2).join(" ") };
      await writeFile(ownerPath, JSON.stringify(owner));
      return async () => {
        await rm(ownerPath, { force: true });
        await release();
      };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ELOCKED") {
        throw new UsageError(`--out ${JSON.stringify(out)} is not writable (${code ?? (error as Error).message})`);
      }
      const owner = await readOwner(ownerPath);
      if (attempt === 0 && owner && owner.host === hostname() && !isAlive(owner.pid)) {
        await rm(lockPath, { recursive: true, force: true });
        continue;
      }
      const who = owner ? `pid ${owner.pid} on ${owner.host}, started ${owner.startedAt}: smoothhess-reproduce ${owner.command}` : "owner unknown";
      throw new UsageError(
        `--out ${JSON.stringify(out)} is in use by another smoothhess-reproduce run (${who}); wait for it to finish or choose another --out (if no such run exists, remove ${lockPath})`,
      );
    }
  }
}

async function readOwner(path: string): Promise<Owner | undefined> {
  try {
    const owner = JSON.parse(await readFile(path, "utf8")) as Owner;
    return typeof owner?.pid === "number" && typeof owner.host === "string" ? owner : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

import { readFile, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "./atomic-write.js";
import { UsageError } from "./usage-error.js";

/**
 * Per-item checkpoints of one experiment run: each finished item (a point, a training epoch, a sweep value) is
 * written atomically as its own JSON file, so an interrupted run resumes where it stopped. JSON keeps every
 * float64 exactly (shortest round-trip form), so a resumed run yields byte-identical results.
 *
 * The store remembers a fingerprint of the configuration; resuming with another configuration is refused.
 */
export class CheckpointStore {
  private constructor(private readonly directory: string) {}

  /**
   * Open (or create) the store in `directory` for a configuration fingerprint.
   * @throws {@link UsageError} when the directory holds checkpoints of another configuration.
   */
  static async open(directory: string, fingerprint: string, options: { fresh?: boolean } = {}): Promise<CheckpointStore> {
    const manifestPath = join(directory, "manifest.json");
    const store = new CheckpointStore(directory);
    const existing = await readJson<{ fingerprint: string }>(manifestPath);
    if (existing && existing.fingerprint !== fingerprint && !options.fresh) {
      throw new UsageError(
        `${directory} holds checkpoints of another configuration; pass --fresh to discard them or choose another --out`,
      );
    }
    if (!existing || existing.fingerprint !== fingerprint) {
      for (const name of await listJson(directory)) if (name !== "manifest.json") await rm(join(directory, name), { force: true });
      await writeFileAtomic(manifestPath, JSON.stringify({ fingerprint }, null, 2));
    }
    return store;
  }

  /** The saved value for `key`, or undefined when the item has not finished yet. */
  async get<T>(key: string): Promise<T | undefined> {
    return readJson<T>(this.path(key));
  }

  /** Save the value of a finished item. */
  async put(key: string, value: unknown): Promise<void> {
    await writeFileAtomic(this.path(key), JSON.stringify(value));
  }

  /**
   * Return the saved value for `key`, or compute it with `compute`, save it and return it.
   * `resumed` tells the caller which happened (for progress and timing reports).
   */
  async getOrCompute<T>(key: string, compute: () => Promise<T>): Promise<{ value: T; resumed: boolean }> {
    const saved = await this.get<T>(key);
    if (saved !== undefined) return { value: saved, resumed: true };
    const value = await compute();
    await this.put(key, value);
    return { value, resumed: false };
  }

  private path(key: string): string {
    if (!/^[A-Za-z0-9._-]+$/.test(key)) throw new Error(`checkpoint key ${JSON.stringify(key)} has characters outside [A-Za-z0-9._-]`);
    return join(this.directory, `${key}.json`);
  }
}

async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

async function listJson(directory: string): Promise<string[]> {
  try {
    return (await readdir(directory)).filter((name) => name.endsWith(".json"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}
